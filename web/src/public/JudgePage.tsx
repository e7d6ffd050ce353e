import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, LoadFailed, Loading, StatusView } from './components';
import { call, PublicError } from './http';
import type { Judgement, JudgementView } from './types';

const CHOICES: Judgement[] = ['satisfied', 'basically_satisfied', 'not_satisfied'];

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'not_found' }
  | { kind: 'open'; view: JudgementView }
  | { kind: 'closed'; view: JudgementView }
  | { kind: 'done'; view: JudgementView; judgement: Judgement };

/** /j/:token — the rater of a named bad review judges the unit's reply and rectification, once. */
export function JudgePage({ token }: { token: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<View>({ kind: 'loading' });
  const [choice, setChoice] = useState<Judgement | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/public/judgements/${encodeURIComponent(token)}`;

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const view = await call<JudgementView>('GET', path);
      setState(view.open ? { kind: 'open', view } : { kind: 'closed', view });
    } catch (e) {
      setState(
        e instanceof PublicError && e.status === 404 ? { kind: 'not_found' } : { kind: 'failed', error: e },
      );
    }
  }, [path]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async () => {
    if (!choice || busy) return;
    setBusy(true);
    setError(null);
    try {
      const view = await call<JudgementView>('POST', path, {
        body: { judgement: choice, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      setState({ kind: 'done', view, judgement: choice });
    } catch (e) {
      if (e instanceof PublicError && e.code === 'judgement_closed') await load();
      else setError(errorMessage(e, t));
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
      return <StatusView tone="warning" title={t('judge.notFoundTitle')} text={t('judge.notFoundText')} />;
    case 'closed':
      return (
        <StatusView
          tone="info"
          title={t('judge.closedTitle')}
          text={t('judge.closedText', {
            state: t(`caseStates.${state.view.state}`, { defaultValue: state.view.stateName }),
          })}
        />
      );
    case 'done':
      return (
        <StatusView
          tone="success"
          title={t('judge.doneTitle')}
          text={
            state.judgement === 'not_satisfied'
              ? t('judge.doneReopened')
              : t('judge.doneSatisfied', { name: t(`judge.${state.judgement}`) })
          }
        />
      );
    case 'open': {
      const { view } = state;
      return (
        <form
          className="pp-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <section className="pp-card pp-service">
            <h1>{t('judge.title')}</h1>
            <p>{t('judge.intro', { unit: view.unitName, date: view.ratingDay })}</p>
            <p className="pp-hint">{t('judge.reference', { ref: view.caseReference })}</p>
            {view.rectificationText && (
              <div className="pp-answer">
                <strong>{t('judge.rectification')}</strong>
                <p>{view.rectificationText}</p>
              </div>
            )}
            {view.replyText && (
              <div className="pp-answer">
                <strong>{t('judge.reply')}</strong>
                <p>{view.replyText}</p>
              </div>
            )}
          </section>
          <fieldset className="pp-levels-set">
            <legend className="pp-question">{t('judge.question')}</legend>
            <div className="pp-levels" role="radiogroup" aria-label={t('judge.question')}>
              {CHOICES.map((c) => (
                <button
                  key={c}
                  type="button"
                  role="radio"
                  aria-checked={choice === c}
                  className={`pp-level pp-judge-${c}${choice === c ? ' pp-selected' : ''}`}
                  onClick={() => setChoice(c)}
                >
                  <span className="pp-level-name">{t(`judge.${c}`)}</span>
                </button>
              ))}
            </div>
          </fieldset>
          {choice === 'not_satisfied' && <p className="pp-note">{t('judge.notSatisfiedHint')}</p>}
          <section className="pp-section">
            <label className="pp-label" htmlFor="pp-judge-comment">
              {t('judge.comment')}
            </label>
            <textarea
              id="pp-judge-comment"
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
              {t('judge.submit')}
            </button>
            {view.judgeDueOn && <p className="pp-hint">{t('judge.dueOn', { date: view.judgeDueOn })}</p>}
          </div>
        </form>
      );
    }
  }
}
