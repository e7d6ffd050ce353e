import { useTranslation } from 'react-i18next';
import {
  CHECKLIST,
  CHECKLIST_INDICATORS,
  DIFFICULTY_LEVELS,
  SATISFACTION_LEVELS,
  type QuestionItem,
  type Questionnaire,
} from './api';

/*
 * The questionnaire as an evaluator will see it on a phone (web/src/public/ballot): one subject with its
 * highlights, then every question with its answers. A sketch in the console's styles, not the page itself.
 */
export function PhonePreview({
  questionnaire,
  subjectName,
  highlights,
}: {
  questionnaire: Questionnaire;
  subjectName: string;
  highlights: string[];
}) {
  const { t } = useTranslation();
  const options = (item: QuestionItem) => {
    switch (item.kind) {
      case 'satisfaction':
        return SATISFACTION_LEVELS.map((l) => (
          <span key={l} className="mp-phone-option">
            {t(`campaigns.levels.${l}`)}
          </span>
        ));
      case 'difficulty':
        return DIFFICULTY_LEVELS.map((l) => (
          <span key={l} className="mp-phone-option">
            {t(`campaigns.difficulty.${l}`)}
          </span>
        ));
      case 'yes_no':
        return [t('campaigns.yes'), t('campaigns.no')].map((l) => (
          <span key={l} className="mp-phone-chip">
            {l}
          </span>
        ));
      case 'choice':
        return item.options.map((o) => (
          <span key={o.key} className="mp-phone-chip">
            {o.label}
          </span>
        ));
      case 'checklist':
        return CHECKLIST_INDICATORS.map((i) => (
          <div key={i}>
            <strong>{CHECKLIST[i].label}</strong>{' '}
            {CHECKLIST[i].manifestations.map((m) => (
              <span key={m} className="mp-phone-chip">
                {m}
              </span>
            ))}
          </div>
        ));
      case 'dimensions':
        return item.dimensions.map((d) => (
          <div key={d.key}>
            <strong>{d.name}</strong>{' '}
            {SATISFACTION_LEVELS.map((l) => (
              <span key={l} className="mp-phone-chip">
                {t(`campaigns.levels.${l}`)}
              </span>
            ))}
          </div>
        ));
      case 'text':
        return (
          <span className="mp-phone-option" style={{ minHeight: 48, color: '#8c8c8c' }}>
            {t('campaigns.designer.textBox', { max: item.maxLength ?? 500 })}
          </span>
        );
    }
  };
  return (
    <div className="mp-phone" data-testid="phone-preview">
      {questionnaire.intro && <div className="mp-phone-card">{questionnaire.intro}</div>}
      <div className="mp-phone-card">
        <div style={{ fontSize: 15, fontWeight: 700 }}>{subjectName}</div>
        {highlights.length > 0 && (
          <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
            {highlights.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        )}
      </div>
      {questionnaire.items.map((item) => (
        <div key={item.key} className="mp-phone-card">
          <div className="mp-phone-question">
            {item.prompt}
            {item.kind !== 'text' && item.required !== false && <span style={{ color: '#cf1322' }}> *</span>}
          </div>
          {options(item)}
        </div>
      ))}
    </div>
  );
}
