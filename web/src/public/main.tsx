import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { PublicApp } from './PublicApp';
import './public.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <PublicApp />
  </StrictMode>,
);
