import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading, localTime, StatusView } from './components';
import { call, newIdempotencyKey, PublicError } from './http';
import { RatingForm } from './RatingForm';
import { ThanksView } from './ThanksView';
import type {
  KioskTransaction,
  KioskWaiting,
  LevelKey,
  RateForm,
  RatingAnswer,
  RatingContent,
} from './types';

const TOKEN_KEY = 'minping.kioskDeviceToken';
/** Seconds the thanks stay on screen before the next person's turn. */
const THANKS_SECONDS = 8;
/** A started rating nobody touched for this long is abandoned: the kiosk starts over. */
const IDLE_MS = 60_000;
/** How often an idle pad asks whether a transaction is waiting for a rating at its window. */
const POLL_MS = 3_000;

function readToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string | null): void {
  try {
    if (token) window.localStorage.setItem(TOKEN_KEY, token);
    else window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Without storage the token lives for this page only; ?device= in the kiosk's start address still works.
  }
}

/** A token in the address is kept on the device and taken out of the address bar (the screen faces the public). */
function takeTokenFromAddress(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('device');
  if (!token) return null;
  url.searchParams.delete('device');
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  return token.trim();
}

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'not_found' }
  | { kind: 'form' }
  | { kind: 'problem'; title: string; text: string }
  | { kind: 'notice'; title: string; text: string }
  | { kind: 'thanks'; level: number };

/**
 * /kiosk/:code — the rating pad at a window or a self-service terminal, registered as a device.
 *
 * While nobody is using it, the pad asks every few seconds whether a transaction (办件) is waiting for a
 * rating at its window — the one the clerk has just recorded — and then asks the person at the counter
 * to rate that transaction (一次一评). When none is waiting it offers the general rating of the unit in
 * its address. It stops asking while someone fills in a form, and starts over after the thanks.
 */
export function KioskPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [token, setToken] = useState<string | null>(() => {
    const fromAddress = takeTokenFromAddress();
    if (fromAddress) storeToken(fromAddress);
    return fromAddress ?? readToken();
  });
  const [setupError, setSetupError] = useState<string | null>(null);
  const [form, setForm] = useState<RateForm | null>(null);
  const [view, setView] = useState<View>({ kind: 'loading' });
  // The transaction being offered for rating, or null: the general rating of the unit.
  const [pending, setPending] = useState<KioskTransaction | null>(null);
  const pendingId = useRef<string | null>(null);
  // Each person's rating is a new round: a fresh form and a fresh idempotency key.
  const [round, setRound] = useState(0);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [countdown, setCountdown] = useState(THANKS_SECONDS);
  const lastActivity = useRef<number | null>(null);
  const path = `/api/public/units/${encodeURIComponent(code)}`;

  const nextRound = useCallback(() => {
    lastActivity.current = null;
    setIdempotencyKey(newIdempotencyKey());
    setRound((r) => r + 1);
    setView({ kind: 'form' });
  }, []);

  const forgetToken = useCallback(() => {
    storeToken(null);
    setToken(null);
    setSetupError(t('kiosk.badToken'));
  }, [t]);

  const load = useCallback(async () => {
    setView({ kind: 'loading' });
    try {
      setForm(await call<RateForm>('GET', `${path}/rate-form`));
      setView({ kind: 'form' });
    } catch (e) {
      setView(
        e instanceof PublicError && e.status === 404 ? { kind: 'not_found' } : { kind: 'failed', error: e },
      );
    }
  }, [path]);

  useEffect(() => {
    if (token) void load();
  }, [load, token]);

  // Is a transaction waiting at this window? Asked only while the pad is idle: a form on screen that
  // nobody has touched (the general one, or a transaction's the person walked away from).
  const idle = view.kind === 'form' && token !== null;
  const poll = useCallback(async () => {
    if (!token || lastActivity.current !== null) return;
    let answer: KioskWaiting;
    try {
      answer = await call<KioskWaiting>('GET', '/api/public/kiosk/waiting', {
        headers: { 'X-Device-Token': token },
      });
    } catch (e) {
      if (e instanceof PublicError && (e.code === 'bad_device_token' || e.code === 'device_required'))
        forgetToken();
      // Anything else (the network, a busy server): ask again at the next tick.
      return;
    }
    // Someone started rating while the answer was on its way: leave their form alone.
    if (lastActivity.current !== null) return;
    const next = answer.waiting;
    if ((next?.id ?? null) === pendingId.current) return;
    // A new transaction (the next person's), or the one shown was rated elsewhere or is no longer waiting.
    pendingId.current = next?.id ?? null;
    setPending(next);
    setIdempotencyKey(newIdempotencyKey());
    setRound((r) => r + 1);
  }, [token, forgetToken]);

  useEffect(() => {
    if (!idle) return;
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [idle, poll, round]);

  // Thanks (or a notice) → back to the start after a few seconds.
  const resetting = view.kind === 'thanks' || view.kind === 'notice';
  useEffect(() => {
    if (!resetting) return;
    setCountdown(THANKS_SECONDS);
    const timer = window.setInterval(() => setCountdown((n) => n - 1), 1000);
    return () => window.clearInterval(timer);
  }, [resetting]);
  const startOver = useCallback(() => {
    pendingId.current = null;
    setPending(null);
    nextRound();
  }, [nextRound]);
  useEffect(() => {
    if (resetting && countdown <= 0) startOver();
  }, [countdown, resetting, startOver]);

  // A half-finished rating left behind is cleared for the next person.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (lastActivity.current !== null && Date.now() - lastActivity.current > IDLE_MS) startOver();
    }, 5000);
    return () => window.clearInterval(timer);
  }, [startOver]);

  const refused = (e: PublicError, level: number): boolean => {
    if (e.code === 'idempotency_conflict') {
      lastActivity.current = null;
      setView({ kind: 'thanks', level });
    } else if (e.code === 'bad_device_token' || e.code === 'device_required') {
      forgetToken();
    } else if (e.code === 'device_other_unit' && !pending) {
      setView({ kind: 'problem', title: t('kiosk.setupTitle'), text: t('kiosk.otherUnit') });
    } else if (e.code === 'staff_cannot_rate' || e.code === 'csrf_failed') {
      setView({ kind: 'problem', title: t('states.staffTitle'), text: t('states.staffText') });
    } else if (e.code === 'already_rated') {
      lastActivity.current = null;
      setView({ kind: 'notice', title: t('kiosk.transactionRated'), text: t('kiosk.transactionRatedText') });
    } else if (
      e.code === 'no_longer_waiting' ||
      e.code === 'not_at_window' ||
      e.code === 'device_other_unit' ||
      e.code === 'not_found'
    ) {
      lastActivity.current = null;
      setView({ kind: 'notice', title: t('kiosk.transactionGone'), text: t('kiosk.transactionGoneText') });
    } else return false;
    return true;
  };

  const submit = async (content: RatingContent) => {
    if (!token) return;
    const target = pending
      ? `/api/public/kiosk/transactions/${encodeURIComponent(pending.id)}/rating`
      : `${path}/ratings`;
    try {
      const answer = await call<RatingAnswer>('POST', target, {
        body: pending
          ? { ...content, channel: 'window_device', idempotencyKey }
          : { ...content, channel: 'window_device', mode: 'offline', idempotencyKey },
        headers: { 'X-Device-Token': token },
      });
      lastActivity.current = null;
      setView({ kind: 'thanks', level: answer.level });
    } catch (e) {
      if (!(e instanceof PublicError) || !refused(e, content.level)) throw e;
    }
  };

  const resetDevice = () => {
    if (!window.confirm(t('kiosk.settingsConfirm'))) return;
    storeToken(null);
    setToken(null);
    setSetupError(null);
  };

  if (!token) {
    return (
      <DeviceSetup
        error={setupError}
        onSave={(value) => {
          storeToken(value);
          setSetupError(null);
          setToken(value);
        }}
      />
    );
  }

  const backSoon = (
    <>
      <p className="pp-hint">{t('kiosk.resetIn', { n: Math.max(countdown, 0) })}</p>
      <button type="button" className="pp-button pp-primary pp-block" onClick={startOver}>
        {t('kiosk.backNow')}
      </button>
    </>
  );

  let content: React.ReactNode;
  switch (view.kind) {
    case 'loading':
      content = <Loading />;
      break;
    case 'failed':
      content = <LoadFailed error={view.error} onRetry={() => void load()} />;
      break;
    case 'not_found':
      content = (
        <StatusView
          tone="warning"
          title={t('states.unitNotFoundTitle')}
          text={t('states.unitNotFoundText')}
        />
      );
      break;
    case 'problem':
      content = <StatusView tone="error" title={view.title} text={view.text} />;
      break;
    case 'notice':
      content = (
        <StatusView tone="info" title={view.title} text={view.text}>
          {backSoon}
        </StatusView>
      );
      break;
    case 'thanks':
      content = <ThanksView level={view.level}>{backSoon}</ThanksView>;
      break;
    case 'form':
      content = pending ? (
        <RatingForm
          key={`t-${round}`}
          variant="kiosk"
          header={<TransactionHead transaction={pending} />}
          tagsOf={(level) => pending.tags[String(level) as LevelKey] ?? []}
          dimensions={pending.dimensions}
          commentMax={pending.commentMax}
          onActivity={() => {
            lastActivity.current = Date.now();
          }}
          onSubmit={submit}
        />
      ) : (
        form && (
          <RatingForm
            key={`u-${round}`}
            variant="kiosk"
            header={
              <section className="pp-card pp-service pp-kiosk-head" data-kiosk-mode="general">
                <div className="pp-kiosk-mode">{t('kiosk.modeGeneral')}</div>
                <div className="pp-kicker">{form.unit.path.slice(0, -1).join(' › ')}</div>
                <h1>{form.unit.name}</h1>
                <p>{t('kiosk.intro')}</p>
              </section>
            }
            tagsOf={(level) => form.tags.offline[String(level) as LevelKey] ?? []}
            dimensions={form.dimensions}
            commentMax={form.commentMax}
            onActivity={() => {
              lastActivity.current = Date.now();
            }}
            onSubmit={submit}
          />
        )
      );
      break;
  }

  return (
    <>
      {content}
      <button type="button" className="pp-kiosk-settings" onClick={resetDevice}>
        {t('kiosk.settings')}
      </button>
    </>
  );
}

/** What the person is asked to rate: the service item just handled, the window, the clerk, the time. */
function TransactionHead({ transaction }: { transaction: KioskTransaction }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [];
  if (transaction.windowName) rows.push([t('rate.window'), transaction.windowName]);
  else rows.push([t('rate.unit'), transaction.unitName]);
  if (transaction.staff) rows.push([t('rate.staff'), transaction.staff]);
  rows.push([t('rate.time'), localTime(transaction.completedAt ?? transaction.receivedAt)]);
  return (
    <section className="pp-card pp-service pp-kiosk-head" data-kiosk-mode="transaction">
      <div className="pp-kiosk-mode pp-kiosk-mode-transaction">{t('kiosk.modeTransaction')}</div>
      <h1>
        {transaction.serviceItemName
          ? t('kiosk.transactionTitle', { item: transaction.serviceItemName })
          : t('kiosk.transactionTitleNoItem')}
      </h1>
      <dl className="pp-kiosk-facts">
        {rows.map(([label, value]) => (
          <div key={label} className="pp-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function DeviceSetup({ error, onSave }: { error: string | null; onSave: (token: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  return (
    <section className="pp-card pp-setup">
      <h1>{t('kiosk.setupTitle')}</h1>
      <p>{t('kiosk.setupText')}</p>
      {error && (
        <div className="pp-alert" role="alert">
          {error}
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onSave(value.trim());
        }}
      >
        <label className="pp-label" htmlFor="pp-device-token">
          {t('kiosk.tokenLabel')}
        </label>
        <input
          id="pp-device-token"
          className="pp-input"
          value={value}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('kiosk.tokenPlaceholder')}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="pp-button pp-primary pp-block" disabled={!value.trim()}>
          {t('kiosk.save')}
        </button>
      </form>
    </section>
  );
}
