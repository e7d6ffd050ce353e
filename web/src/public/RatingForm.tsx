import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, Stars } from './components';
import { PublicError } from './http';
import { LEVEL_ORDER, type DimensionView, type RatingContent } from './types';

/**
 * The rating itself, the same on a phone, a poster's page and a window's kiosk: five big level
 * buttons, then the chosen level's option chips, optional sub-dimensions in stars, a comment and the
 * submit button. The caller sends it; a failure it throws is shown here, with the answers kept.
 */
export function RatingForm({
  tagsOf,
  dimensions,
  commentMax,
  onSubmit,
  variant = 'phone',
  onActivity,
  header,
}: {
  tagsOf: (level: number) => string[];
  dimensions: DimensionView[];
  commentMax: number;
  onSubmit: (content: RatingContent) => Promise<void>;
  variant?: 'phone' | 'kiosk';
  /** Called on every tap or key, so that a kiosk can tell when someone walked away. */
  onActivity?: () => void;
  header?: ReactNode;
}) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<number | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [dims, setDims] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; network: boolean } | null>(null);
  const detailsRef = useRef<HTMLDivElement>(null);
  const bad = level !== null && level <= 2;
  const options = level === null ? [] : tagsOf(level);

  // After the first choice, bring the options into view (on a phone they start below the fold).
  const firstChoice = useRef(true);
  useEffect(() => {
    if (level === null || !firstChoice.current) return;
    firstChoice.current = false;
    detailsRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'nearest' });
  }, [level]);

  const choose = (next: number) => {
    onActivity?.();
    setError(null);
    setLevel(next);
    // Keep the options that also belong to the new level (★1 and ★2 share theirs).
    const allowed = new Set(tagsOf(next));
    setTags((current) => current.filter((tag) => allowed.has(tag)));
  };

  const toggleTag = (tag: string) => {
    onActivity?.();
    setTags((current) => (current.includes(tag) ? current.filter((x) => x !== tag) : [...current, tag]));
  };

  const setDim = (key: string, n: number) => {
    onActivity?.();
    setDims((current) => {
      const next = { ...current };
      // Tapping the chosen star again clears the row: the sub-ratings are optional.
      if (next[key] === n) delete next[key];
      else next[key] = n;
      return next;
    });
  };

  const submit = async () => {
    if (level === null || busy) return;
    onActivity?.();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ level, tags, dimensions: dims, comment: comment.trim() });
    } catch (e) {
      setError({
        text: errorMessage(
          e instanceof PublicError && e.code === 'comment_too_long' ? withMax(e, commentMax) : e,
          t,
        ),
        network: e instanceof PublicError && (e.network || e.status >= 500),
      });
    } finally {
      setBusy(false);
    }
  };

  const tagsTitle =
    level === null
      ? ''
      : level >= 4
        ? t('rate.tagsGood')
        : level === 3
          ? t('rate.tagsBasic')
          : t('rate.tagsBad');

  return (
    <form
      className={`pp-form pp-form-${variant}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onPointerDown={onActivity}
      onKeyDown={onActivity}
    >
      {header}
      <fieldset className="pp-levels-set">
        <legend className="pp-question">{t('rate.question')}</legend>
        <div className="pp-levels" role="radiogroup" aria-label={t('rate.question')}>
          {LEVEL_ORDER.map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={level === n}
              className={`pp-level pp-level-${n}${level === n ? ' pp-selected' : ''}`}
              onClick={() => choose(n)}
            >
              <Stars n={n} />
              <span className="pp-level-name">{t(`levels.${n}`)}</span>
            </button>
          ))}
        </div>
      </fieldset>

      <div ref={detailsRef}>
        {level !== null && options.length > 0 && (
          <section className="pp-section" aria-label={tagsTitle}>
            <h2>{tagsTitle}</h2>
            <div className="pp-chips">
              {options.map((tag) => (
                <button
                  key={tag}
                  type="button"
                  aria-pressed={tags.includes(tag)}
                  className={tags.includes(tag) ? 'pp-chip pp-chip-on' : 'pp-chip'}
                  onClick={() => toggleTag(tag)}
                >
                  {tag}
                </button>
              ))}
            </div>
          </section>
        )}

        {level !== null && dimensions.length > 0 && (
          <section className="pp-section">
            <h2>{t('rate.dimensionsTitle')}</h2>
            <div className="pp-dims">
              {dimensions.map((d) => {
                const name = t(`dimensions.${d.key}`, { defaultValue: d.name });
                const value = dims[d.key] ?? 0;
                return (
                  <div key={d.key} className="pp-dim" role="group" aria-label={name}>
                    <span className="pp-dim-name">{name}</span>
                    <span className="pp-dim-stars">
                      {[1, 2, 3, 4, 5].map((n) => (
                        <button
                          key={n}
                          type="button"
                          className={n <= value ? 'pp-star pp-star-on' : 'pp-star'}
                          aria-label={t('rate.starLabel', { name, n })}
                          aria-pressed={value === n}
                          onClick={() => setDim(d.key, n)}
                        >
                          ★
                        </button>
                      ))}
                    </span>
                  </div>
                );
              })}
            </div>
          </section>
        )}

        {level !== null && (
          <section className="pp-section">
            <label className="pp-label" htmlFor="pp-comment">
              {t('rate.comment')}
            </label>
            <textarea
              id="pp-comment"
              className="pp-textarea"
              rows={variant === 'kiosk' ? 2 : 4}
              maxLength={commentMax}
              value={comment}
              placeholder={bad ? t('rate.commentBadPlaceholder') : t('rate.commentPlaceholder')}
              onChange={(e) => setComment(e.target.value)}
            />
            <div className="pp-counter" aria-hidden="true">
              {t('rate.counter', { n: comment.length, max: commentMax })}
            </div>
            {bad && <p className="pp-note">{t('rate.privacyBad')}</p>}
          </section>
        )}
      </div>

      {error && (
        <div className="pp-alert" role="alert">
          {error.network ? t('rate.retryHint') : error.text}
          {error.network && <div className="pp-alert-detail">{error.text}</div>}
        </div>
      )}

      <div className="pp-submit-row">
        <button type="submit" className="pp-button pp-primary pp-block" disabled={level === null || busy}>
          {busy ? t('rate.submitting') : error?.network ? t('rate.resubmit') : t('rate.submit')}
        </button>
        {level === null ? (
          <p className="pp-hint">{t('rate.pickLevel')}</p>
        ) : (
          variant === 'phone' && <p className="pp-hint">{t('rate.onceOnly')}</p>
        )}
      </div>
    </form>
  );
}

/** The comment limit in the message even when the server did not name it. */
function withMax(error: PublicError, max: number): PublicError {
  return new PublicError(error.status, error.code, error.serverMessage, { max, ...error.params });
}
