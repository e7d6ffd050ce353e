import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import scoringEn from './locales/scoring.en';
import scoringZh from './locales/scoring.zh-CN';
import outcomesEn from './locales/outcomes.en';
import checklistsEn from './locales/checklists.en';
import checklistsZh from './locales/checklists.zh-CN';
import outcomesZh from './locales/outcomes.zh-CN';
import panelEn from './locales/panel.en';
import panelZh from './locales/panel.zh-CN';
import ledgerEn from './locales/ledger.en';
import ledgerZh from './locales/ledger.zh-CN';
import windowEn from './locales/window.en';
import windowZh from './locales/window.zh-CN';
import campaignsEn from './locales/campaigns.en';
import campaignsZh from './locales/campaigns.zh-CN';
import workbenchEn from './locales/workbench.en';
import workbenchZh from './locales/workbench.zh-CN';

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
    // The scoring, result application and panel catalogues sit beside the console's; error codes come
    // from src/core/error-codes.ts.
    'zh-CN': {
      translation: {
        ...zhCN,
        ...scoringZh,
        ...outcomesZh,
        ...checklistsZh,
        ...panelZh,
        ...ledgerZh,
        ...windowZh,
        ...campaignsZh,
        ...workbenchZh,
        errors: zhCN.errors,
      },
    },
    en: {
      translation: {
        ...en,
        ...scoringEn,
        ...outcomesEn,
        ...checklistsEn,
        ...panelEn,
        ...ledgerEn,
        ...windowEn,
        ...campaignsEn,
        ...workbenchEn,
        errors: en.errors,
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
