import { useTranslation } from 'react-i18next';
import { DIFFICULTY_LEVELS, SATISFACTION_LEVELS } from '../../../../src/campaigns/types';
import type { Answer, QuestionItem } from '../types';
import { CHECKLIST, CHECKLIST_INDICATORS, indicatorLabel, isRequired, manifestationLabel } from './answers';

/*
 * One question of the questionnaire, on a phone: big buttons for the scales (like the rating page's
 * levels), chips for several answers, a text box with a counter for suggestions.
 */

const DEFAULT_TEXT_LENGTH = 500;

export function Question({
  item,
  answer,
  onChange,
  idPrefix,
}: {
  item: QuestionItem;
  answer: Answer | undefined;
  onChange: (answer: Answer | undefined) => void;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const legend = (
    <legend className="pp-question">
      {item.prompt}
      {isRequired(item) ? (
        <span className="pp-required" aria-label={t('ballot.required')}>
          {' '}
          *
        </span>
      ) : (
        <span className="pp-optional"> {t('ballot.optional')}</span>
      )}
    </legend>
  );

  const levels = (keys: readonly string[], scale: 'satisfaction' | 'difficulty') => (
    <div className="pp-levels" role="radiogroup" aria-label={item.prompt}>
      {keys.map((level, i) => (
        <button
          key={level}
          type="button"
          role="radio"
          aria-checked={answer === level}
          className={`pp-level pp-scale-${scale}-${i}${answer === level ? ' pp-selected' : ''}`}
          onClick={() => onChange(level)}
        >
          <span className="pp-level-name">{t(`ballot.${scale}.${level}`)}</span>
        </button>
      ))}
    </div>
  );

  switch (item.kind) {
    case 'satisfaction':
      return (
        <fieldset className="pp-levels-set pp-item" data-item={item.key}>
          {legend}
          {levels(SATISFACTION_LEVELS, 'satisfaction')}
        </fieldset>
      );
    case 'difficulty':
      return (
        <fieldset className="pp-levels-set pp-item" data-item={item.key}>
          {legend}
          {levels(DIFFICULTY_LEVELS, 'difficulty')}
        </fieldset>
      );
    case 'yes_no':
      return (
        <fieldset className="pp-levels-set pp-item" data-item={item.key}>
          {legend}
          <div className="pp-segments" role="radiogroup" aria-label={item.prompt}>
            {[true, false].map((v) => (
              <button
                key={String(v)}
                type="button"
                role="radio"
                aria-checked={answer === v}
                className={answer === v ? 'pp-segment pp-segment-on' : 'pp-segment'}
                onClick={() => onChange(v)}
              >
                {v ? t('ballot.yes') : t('ballot.no')}
              </button>
            ))}
          </div>
        </fieldset>
      );
    case 'choice': {
      const ticked = Array.isArray(answer) ? answer : typeof answer === 'string' ? [answer] : [];
      const toggle = (key: string) => {
        if (!item.multiple) return onChange(key);
        const next = ticked.includes(key) ? ticked.filter((k) => k !== key) : [...ticked, key];
        onChange(next.length === 0 ? undefined : next);
      };
      return (
        <fieldset className="pp-levels-set pp-item" data-item={item.key}>
          {legend}
          {item.multiple && <p className="pp-hint pp-hint-top">{t('ballot.several')}</p>}
          <div className="pp-chips">
            {item.options.map((o) => (
              <button
                key={o.key}
                type="button"
                role={item.multiple ? undefined : 'radio'}
                aria-pressed={item.multiple ? ticked.includes(o.key) : undefined}
                aria-checked={item.multiple ? undefined : ticked.includes(o.key)}
                className={ticked.includes(o.key) ? 'pp-chip pp-chip-on' : 'pp-chip'}
                onClick={() => toggle(o.key)}
              >
                {o.label}
              </button>
            ))}
          </div>
        </fieldset>
      );
    }
    case 'checklist': {
      const ticked = Array.isArray(answer) ? answer : [];
      const none = Array.isArray(answer) && answer.length === 0;
      const toggle = (key: string) =>
        onChange(ticked.includes(key) ? ticked.filter((k) => k !== key) : [...ticked, key]);
      return (
        <fieldset className="pp-levels-set pp-item" data-item={item.key}>
          {legend}
          <p className="pp-hint pp-hint-top">{t('ballot.checklistHint')}</p>
          {CHECKLIST_INDICATORS.map((indicator) => (
            <div key={indicator} className="pp-sign-group">
              <div className="pp-sign-head">{indicatorLabel(indicator, t)}</div>
              <div className="pp-chips">
                {CHECKLIST[indicator].manifestations.map((_, n) => {
                  const key = `${indicator}.${n}`;
                  return (
                    <button
                      key={key}
                      type="button"
                      aria-pressed={ticked.includes(key)}
                      className={ticked.includes(key) ? 'pp-chip pp-chip-on' : 'pp-chip'}
                      onClick={() => toggle(key)}
                    >
                      {manifestationLabel(key, t)}
                    </button>
                  );
                })}
              </div>
            </div>
          ))}
          <div className="pp-chips pp-none-row">
            <button
              type="button"
              aria-pressed={none}
              className={none ? 'pp-chip pp-chip-on' : 'pp-chip'}
              onClick={() => onChange(none ? undefined : [])}
            >
              {t('ballot.noneOfThese')}
            </button>
          </div>
        </fieldset>
      );
    }
    case 'dimensions': {
      const given =
        answer !== undefined && typeof answer === 'object' && !Array.isArray(answer) ? answer : {};
      return (
        <fieldset className="pp-levels-set pp-item" data-item={item.key}>
          {legend}
          {item.dimensions.map((d) => (
            <div key={d.key} className="pp-dimension" role="radiogroup" aria-label={d.name}>
              <div className="pp-sign-head">{d.name}</div>
              <div className="pp-segments pp-segments-4">
                {SATISFACTION_LEVELS.map((level) => (
                  <button
                    key={level}
                    type="button"
                    role="radio"
                    aria-checked={given[d.key] === level}
                    className={given[d.key] === level ? 'pp-segment pp-segment-on' : 'pp-segment'}
                    onClick={() => onChange({ ...given, [d.key]: level })}
                  >
                    {t(`ballot.satisfaction.${level}`)}
                  </button>
                ))}
              </div>
            </div>
          ))}
        </fieldset>
      );
    }
    case 'text': {
      const max = item.maxLength ?? DEFAULT_TEXT_LENGTH;
      const value = typeof answer === 'string' ? answer : '';
      const id = `${idPrefix}-${item.key}`;
      return (
        <section className="pp-item pp-text-item" data-item={item.key}>
          <label className="pp-question pp-label" htmlFor={id}>
            {item.prompt} <span className="pp-optional">{t('ballot.optional')}</span>
          </label>
          <textarea
            id={id}
            className="pp-textarea"
            rows={3}
            maxLength={max}
            value={value}
            placeholder={t('ballot.textPlaceholder')}
            onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
          />
          <div className="pp-counter" aria-hidden="true">
            {t('rate.counter', { n: [...value].length, max })}
          </div>
        </section>
      );
    }
  }
}
