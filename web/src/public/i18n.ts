import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';

/* The public pages' own small catalogue (the console's is not loaded here). Chinese unless chosen. */

const STORAGE_KEY = 'minping.language';
export type PublicLanguage = 'zh-CN' | 'en';

function initialLanguage(): PublicLanguage {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  try {
    // The same key as the console, so a choice made in one is kept in the other.
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // Storage can be blocked (private mode); Chinese is the default either way.
  }
  return 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
  nsSeparator: false,
});
document.documentElement.lang = i18n.language;

export async function switchLanguage(): Promise<void> {
  const next: PublicLanguage = i18n.language === 'en' ? 'zh-CN' : 'en';
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but switched for this visit.
  }
  document.documentElement.lang = next;
  await i18n.changeLanguage(next);
}

export const isEnglish = (): boolean => i18n.language === 'en';

export default i18n;
