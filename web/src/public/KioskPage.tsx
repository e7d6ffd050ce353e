import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading, StatusView } from './components';
import { call, newIdempotencyKey, PublicError } from './http';
import { RatingForm } from './RatingForm';
import { ThanksView } from './ThanksView';
import type { RateForm, RatingAnswer, RatingContent } from './types';

const TOKEN_KEY = 'minping.kioskDeviceToken';
/** Seconds the thanks stay on screen before the next person's turn. */
const THANKS_SECONDS = 8;
/** A started rating nobody touched for this long is abandoned: the kiosk starts over. */
const IDLE_MS = 60_000;

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
  | { kind: 'thanks'; level: number };

/** /kiosk/:code — the rating pad at a window or a self-service terminal, registered as a device. */
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

  // Thanks → back to the start after a few seconds.
  useEffect(() => {
    if (view.kind !== 'thanks') return;
    setCountdown(THANKS_SECONDS);
    const timer = window.setInterval(() => setCountdown((n) => n - 1), 1000);
    return () => window.clearInterval(timer);
  }, [view.kind]);
  useEffect(() => {
    if (view.kind === 'thanks' && countdown <= 0) nextRound();
  }, [countdown, view.kind, nextRound]);

  // A half-finished rating left behind is cleared for the next person.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (lastActivity.current !== null && Date.now() - lastActivity.current > IDLE_MS) nextRound();
    }, 5000);
    return () => window.clearInterval(timer);
  }, [nextRound]);

  const submit = async (content: RatingContent) => {
    if (!token) return;
    try {
      const answer = await call<RatingAnswer>('POST', `${path}/ratings`, {
        body: { ...content, channel: 'window_device', mode: 'offline', idempotencyKey },
        headers: { 'X-Device-Token': token },
      });
      lastActivity.current = null;
      setView({ kind: 'thanks', level: answer.level });
    } catch (e) {
      if (!(e instanceof PublicError)) throw e;
      if (e.code === 'idempotency_conflict') {
        lastActivity.current = null;
        setView({ kind: 'thanks', level: content.level });
      } else if (e.code === 'bad_device_token' || e.code === 'device_required') {
        storeToken(null);
        setToken(null);
        setSetupError(t('kiosk.badToken'));
      } else if (e.code === 'device_other_unit') {
        setView({ kind: 'problem', title: t('kiosk.setupTitle'), text: t('kiosk.otherUnit') });
      } else if (e.code === 'staff_cannot_rate' || e.code === 'csrf_failed') {
        setView({ kind: 'problem', title: t('states.staffTitle'), text: t('states.staffText') });
      } else throw e;
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
    case 'thanks':
      content = (
        <ThanksView level={view.level}>
          <p className="pp-hint">{t('kiosk.resetIn', { n: Math.max(countdown, 0) })}</p>
          <button type="button" className="pp-button pp-primary pp-block" onClick={nextRound}>
            {t('kiosk.backNow')}
          </button>
        </ThanksView>
      );
      break;
    case 'form':
      content = form && (
        <RatingForm
          key={round}
          variant="kiosk"
          header={
            <section className="pp-card pp-service pp-kiosk-head">
              <div className="pp-kicker">{form.unit.path.slice(0, -1).join(' › ')}</div>
              <h1>{form.unit.name}</h1>
              <p>{t('kiosk.intro')}</p>
            </section>
          }
          tagsOf={(level) => form.tags.offline[String(level) as keyof RateForm['tags']['offline']] ?? []}
          dimensions={form.dimensions}
          commentMax={form.commentMax}
          onActivity={() => {
            lastActivity.current = Date.now();
          }}
          onSubmit={submit}
        />
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
