import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Paths are relative to this file, so the build works from any working directory.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: `${here}../dist/web`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
  server: {
    // `npm run dev` serves the API on 3000; `npx vite --config web/vite.config.ts` proxies to it.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
