import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, LoadFailed, Loading, localTime, StatusView } from './components';
import { call, newIdempotencyKey, PublicError } from './http';
import { RatingForm } from './RatingForm';
import { ThanksView } from './ThanksView';
import type {
  KioskFound,
  KioskTransaction,
  KioskWaiting,
  LevelKey,
  NumberLookup,
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
  | { kind: 'thanks'; level: number; held: boolean | null };

/**
 * /kiosk/:code — the rating pad at a window or a self-service terminal, registered as a device.
 *
 * While nobody is using it, the pad asks every few seconds whether a transaction (办件) is waiting for a
 * rating at its window — the one the clerk has just recorded — and then asks the person at the counter
 * to rate that transaction (一次一评). When none is waiting it offers the general rating of the unit in
 * its address. It stops asking while someone fills in a form, and starts over after the thanks.
 *
 * A terminal in a hall (its unit has windows under it) serves whoever walks up: instead of waiting for a
 * transaction it asks for the number on the person's receipt and their phone's last four digits, finds
 * that transaction and asks for its rating; the general rating of the hall stays one tap away.
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
  // Whether the device stands in a hall (from the server; null until its first answer).
  const [hall, setHall] = useState<boolean | null>(null);
  // At a hall: what the person typed to find the pending transaction (sent again with the rating).
  const [lookup, setLookup] = useState<NumberLookup | null>(null);
  // At a hall: the person chose the general rating of the hall.
  const [general, setGeneral] = useState(false);
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
  // A hall's terminal is not asked: nothing waits there for the person who walks up.
  const idle = view.kind === 'form' && token !== null && hall !== true;
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
      // Anything else (the network, a busy server): ask again at the next tick, showing the window's
      // general rating meanwhile, as before.
      setHall((known) => known ?? false);
      return;
    }
    setHall(answer.byNumber);
    if (answer.byNumber) return;
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
    setLookup(null);
    setGeneral(false);
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
      setView({ kind: 'thanks', level, held: null });
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
    } else if (
      e.code === 'transaction_not_found' ||
      e.code === 'transaction_expired' ||
      e.code === 'lookup_limit' ||
      e.code === 'hall_device_only'
    ) {
      // Found a moment ago at a hall, refused now: say why, in the words the number form uses.
      lastActivity.current = null;
      setView({ kind: 'notice', title: t('kiosk.transactionGone'), text: errorMessage(e, t) });
    } else return false;
    return true;
  };

  const submit = async (content: RatingContent) => {
    if (!token) return;
    // At a hall the number is what entitles the person to rate: it goes with the rating.
    const byNumber = pending && lookup;
    const target = byNumber
      ? '/api/public/kiosk/by-number/rating'
      : pending
        ? `/api/public/kiosk/transactions/${encodeURIComponent(pending.id)}/rating`
        : `${path}/ratings`;
    try {
      const answer = await call<RatingAnswer>('POST', target, {
        body: byNumber
          ? { ...lookup, ...content, channel: 'self_service', idempotencyKey }
          : pending
            ? { ...content, channel: 'window_device', idempotencyKey }
            : { ...content, channel: 'window_device', mode: 'offline', idempotencyKey },
        headers: { 'X-Device-Token': token },
      });
      lastActivity.current = null;
      setView({ kind: 'thanks', level: answer.level, held: answer.held });
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
      content = (
        <ThanksView level={view.level} held={view.held}>
          {backSoon}
        </ThanksView>
      );
      break;
    case 'form':
      content =
        hall === null ? (
          <Loading />
        ) : hall ? (
          hallContent()
        ) : pending ? (
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

  function hallContent(): React.ReactNode {
    const activity = () => {
      lastActivity.current = Date.now();
    };
    if (!form || !token) return <Loading />;
    if (pending && lookup) {
      return (
        <RatingForm
          key={`n-${round}`}
          variant="kiosk"
          header={<TransactionHead transaction={pending} number={lookup.externalNo} onNotMine={startOver} />}
          tagsOf={(level) => pending.tags[String(level) as LevelKey] ?? []}
          dimensions={pending.dimensions}
          commentMax={pending.commentMax}
          onActivity={activity}
          onSubmit={submit}
        />
      );
    }
    if (general) {
      return (
        <RatingForm
          key={`g-${round}`}
          variant="kiosk"
          header={
            <section className="pp-card pp-service pp-kiosk-head" data-kiosk-mode="hall-general">
              <div className="pp-kiosk-mode">{t('kiosk.modeHallGeneral')}</div>
              <div className="pp-kicker">{form.unit.path.slice(0, -1).join(' › ')}</div>
              <h1>{form.unit.name}</h1>
              <p>{t('kiosk.hallIntro')}</p>
              <button type="button" className="pp-button pp-kiosk-back" onClick={startOver}>
                {t('kiosk.back')}
              </button>
            </section>
          }
          tagsOf={(level) => form.tags.offline[String(level) as LevelKey] ?? []}
          dimensions={form.dimensions}
          commentMax={form.commentMax}
          onActivity={activity}
          onSubmit={submit}
        />
      );
    }
    return (
      <NumberEntry
        key={`e-${round}`}
        unitName={form.unit.name}
        token={token}
        onActivity={activity}
        onBadToken={forgetToken}
        onGeneral={() => {
          activity();
          setGeneral(true);
        }}
        onFound={(transaction, typed) => {
          activity();
          pendingId.current = transaction.id;
          setLookup(typed);
          setPending(transaction);
          setIdempotencyKey(newIdempotencyKey());
          setRound((r) => r + 1);
        }}
      />
    );
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

/**
 * What the person is asked to rate: the service item just handled, the window, the clerk, the time. At a
 * hall, found by the number the person typed: that number too, and a way back if it is not theirs.
 */
function TransactionHead({
  transaction,
  number,
  onNotMine,
}: {
  transaction: KioskTransaction;
  number?: string;
  onNotMine?: () => void;
}) {
  const { t } = useTranslation();
  const rows: [string, string][] = [];
  if (number !== undefined) rows.push([t('rate.number'), number]);
  if (transaction.windowName) rows.push([t('rate.window'), transaction.windowName]);
  else rows.push([t('rate.unit'), transaction.unitName]);
  if (transaction.staff) rows.push([t('rate.staff'), transaction.staff]);
  rows.push([t('rate.time'), localTime(transaction.completedAt ?? transaction.receivedAt)]);
  return (
    <section
      className="pp-card pp-service pp-kiosk-head"
      data-kiosk-mode={number === undefined ? 'transaction' : 'number-transaction'}
    >
      <div className="pp-kiosk-mode pp-kiosk-mode-transaction">
        {number === undefined ? t('kiosk.modeTransaction') : t('kiosk.modeHall')}
      </div>
      <h1>
        {number === undefined
          ? transaction.serviceItemName
            ? t('kiosk.transactionTitle', { item: transaction.serviceItemName })
            : t('kiosk.transactionTitleNoItem')
          : transaction.serviceItemName
            ? t('kiosk.hallTransactionTitle', { item: transaction.serviceItemName })
            : t('kiosk.hallTransactionTitleNoItem')}
      </h1>
      <dl className="pp-kiosk-facts">
        {rows.map(([label, value]) => (
          <div key={label} className="pp-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {onNotMine && (
        <button type="button" className="pp-button pp-kiosk-back" onClick={onNotMine}>
          {t('kiosk.notMine')}
        </button>
      )}
    </section>
  );
}

/**
 * The hall terminal's start: the number on the receipt and the phone's last four digits, in fields big
 * enough for a finger; the general rating of the hall below for whoever has no number.
 */
function NumberEntry({
  unitName,
  token,
  onActivity,
  onBadToken,
  onGeneral,
  onFound,
}: {
  unitName: string;
  token: string;
  onActivity: () => void;
  onBadToken: () => void;
  onGeneral: () => void;
  onFound: (transaction: KioskTransaction, typed: NumberLookup) => void;
}) {
  const { t } = useTranslation();
  const [externalNo, setExternalNo] = useState('');
  const [digits, setDigits] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = externalNo.trim() !== '' && (digits.length === 0 || digits.length === 4) && !busy;

  const find = async () => {
    if (!ready) return;
    onActivity();
    setBusy(true);
    setError(null);
    const typed: NumberLookup = { externalNo: externalNo.trim(), ...(digits ? { phoneDigits: digits } : {}) };
    try {
      const found = await call<KioskFound>('POST', '/api/public/kiosk/by-number', {
        body: typed,
        headers: { 'X-Device-Token': token },
      });
      onFound(found.transaction, { ...typed, externalNo: found.externalNo });
    } catch (e) {
      if (e instanceof PublicError && (e.code === 'bad_device_token' || e.code === 'device_required')) {
        onBadToken();
        return;
      }
      setError(errorMessage(e, t));
      setBusy(false);
    }
  };

  return (
    <>
      <section className="pp-card pp-kiosk-head pp-kiosk-lookup" data-kiosk-mode="number">
        <div className="pp-kiosk-mode pp-kiosk-mode-transaction">{t('kiosk.modeHall')}</div>
        <h1>{t('kiosk.byNumberTitle')}</h1>
        <p>{t('kiosk.byNumberIntro')}</p>
        <form
          className="pp-lookup-form"
          onSubmit={(e) => {
            e.preventDefault();
            void find();
          }}
          onPointerDown={onActivity}
          onKeyDown={onActivity}
        >
          <div className="pp-lookup-fields">
            <div>
              <label className="pp-label" htmlFor="pp-external-no">
                {t('kiosk.externalNo')}
              </label>
              <input
                id="pp-external-no"
                className="pp-input"
                value={externalNo}
                maxLength={64}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                enterKeyHint="next"
                placeholder={t('kiosk.externalNoPlaceholder')}
                onChange={(e) => {
                  setExternalNo(e.target.value);
                  setError(null);
                }}
              />
            </div>
            <div>
              <label className="pp-label" htmlFor="pp-phone-digits">
                {t('kiosk.phoneDigits')}
              </label>
              <input
                id="pp-phone-digits"
                className="pp-input"
                value={digits}
                inputMode="numeric"
                pattern="[0-9]*"
                maxLength={4}
                autoComplete="off"
                enterKeyHint="search"
                placeholder={t('kiosk.phoneDigitsPlaceholder')}
                onChange={(e) => {
                  // Full-width digits from a Chinese keyboard count as digits; anything else is dropped.
                  setDigits(e.target.value.normalize('NFKC').replace(/\D/g, '').slice(0, 4));
                  setError(null);
                }}
              />
            </div>
          </div>
          {error && (
            <div className="pp-alert" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="pp-button pp-primary pp-block" disabled={!ready}>
            {busy ? t('kiosk.finding') : t('kiosk.find')}
          </button>
          <p className="pp-hint">{t('kiosk.phoneDigitsHint')}</p>
        </form>
      </section>
      <section className="pp-card pp-kiosk-choice">
        <span>{t('kiosk.noNumber')}</span>
        <button type="button" className="pp-button" onClick={onGeneral}>
          {t('kiosk.generalButton', { unit: unitName })}
        </button>
      </section>
    </>
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
