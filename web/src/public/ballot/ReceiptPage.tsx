import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, LoadFailed, Loading, StatusView } from '../components';
import { call, PublicError } from '../http';
import type { PublicBallot, PublicRoundView } from '../types';
import { answerText } from './answers';

/*
 * /public/receipts/:roundId — an evaluator checks, with the receipt code the ballot page showed, that
 * their ballot was counted unchanged. Possible once the round has closed; before, the page says when.
 */

type Checked = { found: boolean; ballot: PublicBallot | null };

export function ReceiptPage({ roundId }: { roundId: string }) {
  const { t } = useTranslation();
  const [round, setRound] = useState<PublicRoundView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [checked, setChecked] = useState<Checked | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setRound(
        await call<PublicRoundView>('GET', `/api/public/campaign-rounds/${encodeURIComponent(roundId)}`),
      );
    } catch (e) {
      setLoadError(e);
    }
  }, [roundId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (loadError) {
    if (loadError instanceof PublicError && loadError.status === 404) {
      return <StatusView tone="warning" title={t('app.notFoundTitle')} text={t('receipt.notFound')} />;
    }
    return <LoadFailed error={loadError} onRetry={() => void load()} />;
  }
  if (!round) return <Loading />;
  const closed = round.state === 'closed' || round.state === 'computed';

  const check = async () => {
    if (busy || code.trim() === '') return;
    setBusy(true);
    setError(null);
    setChecked(null);
    try {
      setChecked(
        await call<Checked>('POST', `/api/public/campaign-rounds/${encodeURIComponent(roundId)}/receipt`, {
          body: { code: code.trim() },
        }),
      );
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const names = new Map(round.subjects.map((s) => [s.id, s.name]));
  return (
    <div className="pp-form">
      <section className="pp-card">
        <div className="pp-kicker">
          {round.campaignName} · {round.roundName}
        </div>
        <h1>{t('receipt.title')}</h1>
        <p>{closed ? t('receipt.intro') : t('receipt.notClosed', { date: round.closesOn })}</p>
      </section>
      <form
        className="pp-section"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <label className="pp-label" htmlFor="pp-receipt-code">
          {t('receipt.code')}
        </label>
        <input
          id="pp-receipt-code"
          className="pp-input pp-receipt-input"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          placeholder="XXXX-XXXX-XXXX"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button
          type="submit"
          className="pp-button pp-primary pp-block"
          disabled={busy || code.trim() === '' || !closed}
        >
          {t('receipt.check')}
        </button>
        {error && (
          <div className="pp-alert" role="alert">
            {error}
          </div>
        )}
      </form>
      {checked && !checked.found && (
        <div className="pp-alert" role="alert" data-testid="receipt-missing">
          {t('receipt.missing')}
        </div>
      )}
      {checked?.ballot && (
        <section className="pp-card" data-testid="receipt-found">
          <div className="pp-status-inline pp-good">✓ {t('receipt.found')}</div>
          <p className="pp-hint">{t('receipt.digest', { digest: checked.ballot.receipt })}</p>
          {Object.entries(checked.ballot.answers).map(([subjectId, answers]) => (
            <div key={subjectId} className="pp-receipt-subject">
              <h2 className="pp-h2">{names.get(subjectId) ?? subjectId}</h2>
              <dl>
                {round.questionnaire.items.map((item) => (
                  <div className="pp-row" key={item.key}>
                    <dt>{item.prompt}</dt>
                    <dd>{answerText(item, answers[item.key], t)}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
