import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, LoadFailed, Loading, StatusView } from '../components';
import { call, PublicError } from '../http';
import type { Answer, BallotAnswers, BallotForm } from '../types';
import { progressOf, type Progress } from './answers';
import { Question } from './Question';

/*
 * /ballot#<token> — the evaluator's page of an evaluation campaign (专项评价), phone first. The token comes
 * after '#', so it never reaches a server log; the page posts it in the body. It lists the subjects the
 * evaluator was assigned, one subject at a time with its description and highlights; answers are saved
 * as a sealed draft (automatically and on request) so the evaluator can come back with the same link;
 * the ballot is submitted once and a receipt code is shown, to be checked once the round has closed.
 * Nothing the page sends names the evaluator: only the token and the answers.
 */

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'invalid'; error: PublicError | null }
  | { kind: 'form'; form: BallotForm }
  | { kind: 'done'; form: BallotForm; receipt: string };

const AUTOSAVE_MS = 2500;

export function tokenFromLocation(): string {
  return decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();
}

export function BallotPage() {
  const { t } = useTranslation();
  const [token] = useState(tokenFromLocation);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const load = useCallback(async () => {
    if (token === '') {
      setPhase({ kind: 'invalid', error: null });
      return;
    }
    setPhase({ kind: 'loading' });
    try {
      const form = await call<BallotForm>('POST', '/api/public/ballots/form', { body: { token } });
      setPhase({ kind: 'form', form });
    } catch (e) {
      setPhase(
        e instanceof PublicError && e.status === 404
          ? { kind: 'invalid', error: e }
          : { kind: 'failed', error: e },
      );
    }
  }, [token]);

  useEffect(() => {
    void load();
  }, [load]);

  // Another link pasted into the same tab changes only the part after '#': start afresh with it.
  useEffect(() => {
    const onHash = () => window.location.reload();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  switch (phase.kind) {
    case 'loading':
      return <Loading />;
    case 'failed':
      return <LoadFailed error={phase.error} onRetry={() => void load()} />;
    case 'invalid':
      return (
        <StatusView
          tone="warning"
          title={t('ballot.invalidTitle')}
          text={phase.error ? errorMessage(phase.error, t) : t('ballot.noToken')}
        />
      );
    case 'done':
      return <Receipt form={phase.form} receipt={phase.receipt} />;
    case 'form': {
      const { form } = phase;
      if (form.submitted) {
        return (
          <StatusView tone="info" title={t('ballot.submittedTitle')} text={t('ballot.submittedText')}>
            <ReceiptLink roundId={form.roundId} />
          </StatusView>
        );
      }
      if (form.status === 'closed') {
        return (
          <StatusView
            tone="info"
            title={t('ballot.closedTitle')}
            text={t('ballot.closedText', { name: form.campaignName, date: form.closesOn })}
          >
            <ReceiptLink roundId={form.roundId} />
          </StatusView>
        );
      }
      if (form.status === 'not_open') {
        return (
          <StatusView
            tone="info"
            title={t('ballot.notOpenTitle')}
            text={t('ballot.notOpenText', { name: form.campaignName, date: form.opensOn })}
          />
        );
      }
      return (
        <Editor
          token={token}
          form={form}
          onSubmitted={(receipt) => setPhase({ kind: 'done', form, receipt })}
          onGone={() => void load()}
        />
      );
    }
  }
}

function ReceiptLink({ roundId }: { roundId: string }) {
  const { t } = useTranslation();
  return (
    <a className="pp-button pp-block" href={`/public/receipts/${encodeURIComponent(roundId)}`}>
      {t('ballot.checkReceipt')}
    </a>
  );
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'resumed' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'failed'; text: string };

const hhmm = (d: Date) =>
  `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

function Editor({
  token,
  form,
  onSubmitted,
  onGone,
}: {
  token: string;
  form: BallotForm;
  onSubmitted: (receipt: string) => void;
  onGone: () => void;
}) {
  const { t } = useTranslation();
  const items = form.questionnaire.items;
  const [answers, setAnswers] = useState<BallotAnswers>(() => form.draft ?? {});
  const [current, setCurrent] = useState<number | null>(form.subjects.length === 1 ? 0 : null);
  const [save, setSave] = useState<SaveState>(form.draft ? { kind: 'resumed' } : { kind: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dirty = useRef(false);
  const latest = useRef(answers);
  latest.current = answers;

  const progress: Progress[] = form.subjects.map((s) => progressOf(items, answers[s.id]));
  const done = progress.filter((p) => p === 'done').length;
  const complete = done === form.subjects.length;

  const saveDraft = useCallback(async () => {
    if (!dirty.current) return;
    dirty.current = false;
    setSave({ kind: 'saving' });
    try {
      await call('POST', '/api/public/ballots/draft', { body: { token, answers: latest.current } });
      setSave({ kind: 'saved', at: new Date() });
    } catch (e) {
      dirty.current = true;
      if (e instanceof PublicError && (e.code === 'token_used' || e.code === 'round_closed')) onGone();
      else setSave({ kind: 'failed', text: errorMessage(e, t) });
    }
  }, [token, t, onGone]);

  // Saved a moment after the last change, and when the evaluator leaves the page or switches apps.
  useEffect(() => {
    if (!dirty.current) return;
    const timer = window.setTimeout(() => void saveDraft(), AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [answers, saveDraft]);
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') void saveDraft();
    };
    document.addEventListener('visibilitychange', onHide);
    return () => document.removeEventListener('visibilitychange', onHide);
  }, [saveDraft]);

  const setAnswer = (subjectId: string, key: string, answer: Answer | undefined) => {
    dirty.current = true;
    setError(null);
    setConfirming(false);
    setAnswers((prev) => {
      const subject = { ...(prev[subjectId] ?? {}) };
      if (answer === undefined) delete subject[key];
      else subject[key] = answer;
      const next = { ...prev };
      if (Object.keys(subject).length === 0) delete next[subjectId];
      else next[subjectId] = subject;
      return next;
    });
  };

  const go = (index: number | null) => {
    void saveDraft();
    setCurrent(index);
    window.scrollTo(0, 0);
  };

  const submit = async () => {
    if (!complete || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { receipt } = await call<{ receipt: string }>('POST', '/api/public/ballots/submit', {
        body: { token, answers },
      });
      dirty.current = false;
      onSubmitted(receipt);
    } catch (e) {
      setConfirming(false);
      if (e instanceof PublicError && (e.code === 'token_used' || e.code === 'round_closed')) onGone();
      else setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const saveLine =
    save.kind === 'saving' ? (
      <p className="pp-hint pp-save-state">{t('ballot.saving')}</p>
    ) : save.kind === 'saved' ? (
      <p className="pp-hint pp-save-state" data-testid="draft-saved">
        {t('ballot.saved', { time: hhmm(save.at) })}
      </p>
    ) : save.kind === 'resumed' ? (
      <p className="pp-hint pp-save-state" data-testid="draft-resumed">
        {t('ballot.resumed')}
      </p>
    ) : save.kind === 'failed' ? (
      <p className="pp-hint pp-save-state pp-bad">{t('ballot.saveFailed', { error: save.text })}</p>
    ) : null;

  if (current !== null) {
    const subject = form.subjects[current];
    if (!subject) return null;
    const last = current === form.subjects.length - 1;
    return (
      <div className="pp-form pp-ballot">
        {form.subjects.length > 1 && (
          <div className="pp-ballot-nav">
            <button type="button" className="pp-link-button" onClick={() => go(null)}>
              {t('ballot.backToList')}
            </button>
            <span className="pp-hint">
              {t('ballot.position', { n: current + 1, total: form.subjects.length })}
            </span>
          </div>
        )}
        <section className="pp-card pp-subject-card">
          <div className="pp-kicker">{form.campaignName}</div>
          <h1>{subject.name}</h1>
          {subject.description && <p className="pp-subject-text">{subject.description}</p>}
          {subject.highlights.length > 0 && (
            <div className="pp-highlights">
              <strong>{t('ballot.highlights')}</strong>
              <ul>
                {subject.highlights.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            </div>
          )}
        </section>
        {items.map((item) => (
          <div className="pp-section" key={item.key}>
            <Question
              item={item}
              idPrefix={`pp-${current}`}
              answer={answers[subject.id]?.[item.key]}
              onChange={(a) => setAnswer(subject.id, item.key, a)}
            />
          </div>
        ))}
        <div className="pp-submit-row">
          {form.subjects.length === 1 ? (
            <SubmitBlock
              complete={complete}
              busy={busy}
              confirming={confirming}
              error={error}
              onAsk={() => setConfirming(true)}
              onCancel={() => setConfirming(false)}
              onSubmit={() => void submit()}
              onSave={() => {
                dirty.current = true;
                void saveDraft();
              }}
            />
          ) : (
            <>
              <button
                type="button"
                className="pp-button pp-primary pp-block"
                onClick={() => go(last ? null : current + 1)}
              >
                {last ? t('ballot.finishList') : t('ballot.next')}
              </button>
              {current > 0 && (
                <button type="button" className="pp-button pp-block" onClick={() => go(current - 1)}>
                  {t('ballot.previous')}
                </button>
              )}
            </>
          )}
          {saveLine}
        </div>
      </div>
    );
  }

  return (
    <div className="pp-form pp-ballot">
      <section className="pp-card">
        <div className="pp-kicker">
          {form.campaignName} · {form.roundName}
        </div>
        <h1>{t('ballot.title', { n: form.subjects.length })}</h1>
        {form.intro && <p>{form.intro}</p>}
        <p className="pp-hint">{t('ballot.closesOn', { date: form.closesOn })}</p>
        <p className="pp-note" data-testid="anonymity-note">
          {form.named ? t('ballot.named', { name: form.evaluatorName ?? '' }) : t('ballot.anonymous')}
        </p>
      </section>
      <div className="pp-progress" aria-live="polite">
        <span>{t('ballot.progress', { done, total: form.subjects.length })}</span>
        <span className="pp-progress-track" aria-hidden="true">
          <span
            className="pp-progress-fill"
            style={{ width: `${(100 * done) / Math.max(1, form.subjects.length)}%` }}
          />
        </span>
      </div>
      <ul className="pp-subjects">
        {form.subjects.map((s, i) => (
          <li key={s.id}>
            <button type="button" className="pp-subject" onClick={() => go(i)}>
              <span className="pp-subject-name">{s.name}</span>
              <span className={`pp-subject-state pp-subject-${progress[i] ?? 'empty'}`}>
                {t(`ballot.state.${progress[i] ?? 'empty'}`)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="pp-submit-row">
        <SubmitBlock
          complete={complete}
          busy={busy}
          confirming={confirming}
          error={error}
          onAsk={() => setConfirming(true)}
          onCancel={() => setConfirming(false)}
          onSubmit={() => void submit()}
          onSave={() => {
            dirty.current = true;
            void saveDraft();
          }}
        />
        {saveLine}
      </div>
    </div>
  );
}

function SubmitBlock({
  complete,
  busy,
  confirming,
  error,
  onAsk,
  onCancel,
  onSubmit,
  onSave,
}: {
  complete: boolean;
  busy: boolean;
  confirming: boolean;
  error: string | null;
  onAsk: () => void;
  onCancel: () => void;
  onSubmit: () => void;
  onSave: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <div className="pp-alert" role="alert">
          {error}
        </div>
      )}
      {confirming ? (
        <div className="pp-confirm" role="alertdialog" aria-label={t('ballot.confirmTitle')}>
          <strong>{t('ballot.confirmTitle')}</strong>
          <p>{t('ballot.confirmText')}</p>
          <button type="button" className="pp-button pp-primary pp-block" disabled={busy} onClick={onSubmit}>
            {busy ? t('ballot.submitting') : t('ballot.confirm')}
          </button>
          <button type="button" className="pp-button pp-block" disabled={busy} onClick={onCancel}>
            {t('ballot.reviewAgain')}
          </button>
        </div>
      ) : (
        <>
          <button
            type="button"
            className="pp-button pp-primary pp-block"
            disabled={!complete || busy}
            onClick={onAsk}
          >
            {t('ballot.submit')}
          </button>
          <p className="pp-hint">{complete ? t('ballot.onceOnly') : t('ballot.finishFirst')}</p>
          <button type="button" className="pp-button pp-block" onClick={onSave}>
            {t('ballot.saveDraft')}
          </button>
          <p className="pp-hint">{t('ballot.draftHint')}</p>
        </>
      )}
    </>
  );
}

function Receipt({ form, receipt }: { form: BallotForm; receipt: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <StatusView tone="success" title={t('ballot.doneTitle')} text={t('ballot.doneText')}>
      <div className="pp-receipt" data-testid="receipt-code">
        {receipt}
      </div>
      <p className="pp-note">{t('ballot.receiptHint', { date: form.closesOn })}</p>
      <button
        type="button"
        className="pp-button pp-block"
        onClick={() => {
          void navigator.clipboard
            ?.writeText(receipt)
            .then(() => setCopied(true))
            .catch(() => setCopied(false));
        }}
      >
        {copied ? t('ballot.copied') : t('ballot.copy')}
      </button>
      <ReceiptLink roundId={form.roundId} />
    </StatusView>
  );
}
