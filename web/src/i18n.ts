import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import scoringEn, { scoringErrorsEn } from './locales/scoring.en';
import scoringZh, { scoringErrorsZh } from './locales/scoring.zh-CN';
import outcomesEn, { outcomesErrorsEn } from './locales/outcomes.en';
import outcomesZh, { outcomesErrorsZh } from './locales/outcomes.zh-CN';
import panelEn, { panelErrorsEn } from './locales/panel.en';
import panelZh, { panelErrorsZh } from './locales/panel.zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'minping.language';

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (value === 'en' || value === 'zh-CN') return value;
  } catch {
    // Storage can be blocked; Chinese is the default either way.
  }
  return 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: {
    // Scoring's catalogue (locales/scoring.*.ts) sits beside the console's; its error codes join `errors`.
    // Result application's (locales/outcomes.*.ts) likewise.
    'zh-CN': {
      translation: {
        ...zhCN,
        ...scoringZh,
        ...outcomesZh,
        ...panelZh,
        errors: { ...zhCN.errors, ...scoringErrorsZh, ...outcomesErrorsZh, ...panelErrorsZh },
      },
    },
    en: {
      translation: {
        ...en,
        ...scoringEn,
        ...outcomesEn,
        ...panelEn,
        errors: { ...en.errors, ...scoringErrorsEn, ...outcomesErrorsEn, ...panelErrorsEn },
      },
    },
  },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
  // Keys such as scopes.registry:read contain colons; there is one namespace anyway.
  nsSeparator: false,
});

document.documentElement.lang = i18n.language;

/** Switches the language and remembers it for the next visit. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still switched for this visit.
  }
  document.documentElement.lang = language;
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export default i18n;
