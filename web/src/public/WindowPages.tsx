import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MatterRating, PublicMatterView, WindowFigures } from '../../../src/window/types';
import { errorMessage, LoadFailed, Loading, localTime, StatusView } from './components';
import { call, PublicError } from './http';

/*
 * The 办不成事 window's public pages, phone first: /public/window files a matter that could not get done and
 * looks one up by its receipt code; /public/window/:code shows its progress and lets the filer judge the
 * result. Shapes from src/window/types.ts.
 */

const RATINGS: MatterRating[] = ['satisfied', 'basically', 'dissatisfied'];
const JUDGE_CLASS: Record<MatterRating, string> = {
  satisfied: 'pp-judge-satisfied',
  basically: 'pp-judge-basically_satisfied',
  dissatisfied: 'pp-judge-not_satisfied',
};

function Figures() {
  const { t } = useTranslation();
  const [figures, setFigures] = useState<WindowFigures | null>(null);
  useEffect(() => {
    call<WindowFigures>('GET', '/api/public/window/figures')
      .then(setFigures)
      .catch(() => setFigures(null));
  }, []);
  if (!figures) return null;
  return (
    <section className="pp-card pp-window-figures" aria-label={t('window.figures.title')}>
      <h2 className="pp-h2">{t('window.figures.title', { year: figures.from.slice(0, 4) })}</h2>
      <dl className="pp-window-numbers">
        <div>
          <dt>{t('window.figures.received')}</dt>
          <dd>{figures.received}</dd>
        </div>
        <div>
          <dt>{t('window.figures.resolved')}</dt>
          <dd>{figures.resolved}</dd>
        </div>
        <div>
          <dt>{t('window.figures.satisfied')}</dt>
          <dd>{figures.satisfiedRate === null ? '—' : `${figures.satisfiedRate}%`}</dd>
        </div>
      </dl>
    </section>
  );
}

/** /public/window — the filing form, with a lookup by receipt code below it. */
export function WindowFilePage() {
  const { t } = useTranslation();
  const [what, setWhat] = useState('');
  const [place, setPlace] = useState('');
  const [unitsNamed, setUnitsNamed] = useState('');
  const [filerName, setFilerName] = useState('');
  const [filerPhone, setFilerPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<{ receiptCode: string; dueOn: string | null } | null>(null);
  const [code, setCode] = useState('');

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await call<{ receiptCode: string; dueOn: string | null }>(
        'POST',
        '/api/public/window/matters',
        {
          body: { what, place, unitsNamed, filerName, filerPhone },
        },
      );
      setFiled(answer);
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (filed) {
    return (
      <StatusView tone="success" title={t('window.filed.title')} text={t('window.filed.text')}>
        <p className="pp-window-code" data-testid="receipt-code">
          {filed.receiptCode}
        </p>
        <p className="pp-hint">{t('window.filed.keep')}</p>
        <a className="pp-button pp-primary pp-block" href={`/public/window/${filed.receiptCode}`}>
          {t('window.filed.follow')}
        </a>
      </StatusView>
    );
  }

  return (
    <>
      <form
        className="pp-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <section className="pp-card">
          <h1>{t('window.title')}</h1>
          <p>{t('window.intro')}</p>
        </section>
        <section className="pp-section">
          <label className="pp-label" htmlFor="pp-w-what">
            {t('window.what')} <span className="pp-required">*</span>
          </label>
          <textarea
            id="pp-w-what"
            className="pp-textarea"
            rows={5}
            maxLength={2000}
            required
            placeholder={t('window.whatHint')}
            value={what}
            onChange={(e) => setWhat(e.target.value)}
          />
          <label className="pp-label" htmlFor="pp-w-place">
            {t('window.place')}
          </label>
          <input
            id="pp-w-place"
            className="pp-input"
            maxLength={200}
            placeholder={t('window.placeHint')}
            value={place}
            onChange={(e) => setPlace(e.target.value)}
          />
          <label className="pp-label" htmlFor="pp-w-units">
            {t('window.units')}
          </label>
          <input
            id="pp-w-units"
            className="pp-input"
            maxLength={200}
            placeholder={t('window.unitsHint')}
            value={unitsNamed}
            onChange={(e) => setUnitsNamed(e.target.value)}
          />
        </section>
        <section className="pp-section">
          <h2 className="pp-h2">{t('window.contact')}</h2>
          <p className="pp-hint">{t('window.contactHint')}</p>
          <label className="pp-label" htmlFor="pp-w-name">
            {t('window.name')} <span className="pp-required">*</span>
          </label>
          <input
            id="pp-w-name"
            className="pp-input"
            maxLength={40}
            required
            autoComplete="name"
            value={filerName}
            onChange={(e) => setFilerName(e.target.value)}
          />
          <label className="pp-label" htmlFor="pp-w-phone">
            {t('window.phone')} <span className="pp-required">*</span>
          </label>
          <input
            id="pp-w-phone"
            className="pp-input"
            type="tel"
            inputMode="tel"
            maxLength={24}
            required
            autoComplete="tel"
            value={filerPhone}
            onChange={(e) => setFilerPhone(e.target.value)}
          />
        </section>
        {error && (
          <div className="pp-alert" role="alert">
            {error}
          </div>
        )}
        <div className="pp-submit-row">
          <button type="submit" className="pp-button pp-primary pp-block" disabled={busy}>
            {t('window.submit')}
          </button>
          <p className="pp-hint">{t('window.privacy')}</p>
        </div>
      </form>
      <form
        className="pp-card pp-window-lookup"
        onSubmit={(e) => {
          e.preventDefault();
          const c = code.replace(/[\s-]/g, '').toUpperCase();
          if (c) window.location.assign(`/public/window/${encodeURIComponent(c)}`);
        }}
      >
        <h2 className="pp-h2">{t('window.lookup.title')}</h2>
        <label className="pp-label" htmlFor="pp-w-code">
          {t('window.lookup.code')}
        </label>
        <input
          id="pp-w-code"
          className="pp-input"
          autoCapitalize="characters"
          maxLength={14}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" className="pp-button pp-block">
          {t('window.lookup.submit')}
        </button>
      </form>
      <Figures />
    </>
  );
}

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'not_found' }
  | { kind: 'ready'; view: PublicMatterView };

/** /public/window/:code — a matter's progress; the filer judges a resolved one. */
export function WindowStatusPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<View>({ kind: 'loading' });
  const [choice, setChoice] = useState<MatterRating | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/public/window/matters/${encodeURIComponent(code)}`;

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      setState({ kind: 'ready', view: await call<PublicMatterView>('GET', path) });
    } catch (e) {
      setState(
        e instanceof PublicError && e.status === 404 ? { kind: 'not_found' } : { kind: 'failed', error: e },
      );
    }
  }, [path]);

  useEffect(() => {
    void load();
  }, [load]);

  const rate = async () => {
    if (!choice || busy) return;
    setBusy(true);
    setError(null);
    try {
      const view = await call<PublicMatterView>('POST', `${path}/rating`, {
        body: { rating: choice, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      setState({ kind: 'ready', view });
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  switch (state.kind) {
    case 'loading':
      return <Loading />;
    case 'failed':
      return <LoadFailed error={state.error} onRetry={() => void load()} />;
    case 'not_found':
      return (
        <StatusView
          tone="warning"
          title={t('window.status.notFoundTitle')}
          text={t('window.status.notFoundText')}
        >
          <a className="pp-button pp-block" href="/public/window">
            {t('window.status.back')}
          </a>
        </StatusView>
      );
    case 'ready': {
      const { view } = state;
      return (
        <>
          <section className="pp-card pp-service">
            <p className="pp-kicker">
              {t('window.status.code')} {view.receiptCode}
            </p>
            <h1 data-testid="matter-state">{t(`window.states.${view.state}`)}</h1>
            <p className="pp-hint">{t(`window.stateHints.${view.state}`, { date: view.dueOn ?? '' })}</p>
            <dl>
              <div className="pp-row">
                <dt>{t('window.status.filedOn')}</dt>
                <dd>{view.filedOn}</dd>
              </div>
              {view.units.length > 0 && (
                <div className="pp-row">
                  <dt>{t('window.status.units')}</dt>
                  <dd>{view.units.join('、')}</dd>
                </div>
              )}
            </dl>
            <div className="pp-answer">
              <strong>{t('window.status.what')}</strong>
              <p>{view.what}</p>
            </div>
            {view.resolutionText && (
              <div className="pp-answer">
                <strong>
                  {view.state === 'declined'
                    ? t('window.status.declined')
                    : t(`window.outcomes.${view.outcome ?? 'solved'}`)}
                </strong>
                <p data-testid="resolution">{view.resolutionText}</p>
              </div>
            )}
            {view.rating && (
              <p className="pp-note" data-testid="rated">
                {t('window.status.rated', { rating: t(`window.ratings.${view.rating}`) })}
              </p>
            )}
          </section>
          {view.mayRate && (
            <form
              className="pp-form"
              onSubmit={(e) => {
                e.preventDefault();
                void rate();
              }}
            >
              <fieldset className="pp-levels-set">
                <legend className="pp-question">{t('window.rate.question')}</legend>
                <div className="pp-levels" role="radiogroup" aria-label={t('window.rate.question')}>
                  {RATINGS.map((r) => (
                    <button
                      key={r}
                      type="button"
                      role="radio"
                      aria-checked={choice === r}
                      className={`pp-level ${JUDGE_CLASS[r]}${choice === r ? ' pp-selected' : ''}`}
                      onClick={() => setChoice(r)}
                    >
                      <span className="pp-level-name">{t(`window.ratings.${r}`)}</span>
                    </button>
                  ))}
                </div>
              </fieldset>
              <section className="pp-section">
                <label className="pp-label" htmlFor="pp-w-comment">
                  {t('window.rate.comment')}
                </label>
                <textarea
                  id="pp-w-comment"
                  className="pp-textarea"
                  rows={3}
                  maxLength={500}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                />
              </section>
              {error && (
                <div className="pp-alert" role="alert">
                  {error}
                </div>
              )}
              <div className="pp-submit-row">
                <button type="submit" className="pp-button pp-primary pp-block" disabled={!choice || busy}>
                  {t('window.rate.submit')}
                </button>
              </div>
            </form>
          )}
          <section className="pp-card">
            <h2 className="pp-h2">{t('window.status.steps')}</h2>
            <ol className="pp-window-steps">
              {view.steps.map((s, i) => (
                <li key={i}>
                  <span>{t(`window.steps.${s.type}`, { defaultValue: s.type })}</span>
                  <time>{localTime(s.at)}</time>
                </li>
              ))}
            </ol>
          </section>
        </>
      );
    }
  }
}
