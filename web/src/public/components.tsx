import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PublicError } from './http';
import { switchLanguage } from './i18n';

/** The page frame: a slim bar with the mark and the language switch, then the content. */
export function Shell({
  children,
  wide = false,
  kiosk = false,
}: {
  children: ReactNode;
  wide?: boolean;
  kiosk?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className={kiosk ? 'pp pp-kiosk' : 'pp'}>
      <header className="pp-bar">
        <span className="pp-mark" aria-hidden="true">
          评
        </span>
        <span className="pp-bar-title">
          {t('app.name')}
          <small>{t('app.subtitle')}</small>
        </span>
        <button type="button" className="pp-lang" onClick={() => void switchLanguage()}>
          {t('app.language')}
        </button>
      </header>
      <main className={wide ? 'pp-main pp-main-wide' : 'pp-main'}>{children}</main>
      {!kiosk && <footer className="pp-footer">{t('app.footer')}</footer>}
    </div>
  );
}

type Tone = 'success' | 'info' | 'warning' | 'error';
const ICONS: Record<Tone, string> = { success: '✓', info: 'i', warning: '!', error: '×' };

/** A whole-page state: thanks, already rated, expired, not found… */
export function StatusView({
  tone,
  title,
  text,
  children,
}: {
  tone: Tone;
  title: string;
  text?: ReactNode;
  children?: ReactNode;
}) {
  // A state replaces a long form: show it from its top, not where the submit button was.
  // In braces: newer browsers return a promise from scrollTo, and React would call it as the cleanup.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);
  return (
    <section className="pp-card pp-status" role="status" aria-live="polite">
      <div className={`pp-status-icon pp-tone-${tone}`} aria-hidden="true">
        {ICONS[tone]}
      </div>
      <h1>{title}</h1>
      {text && <p>{text}</p>}
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="pp-loading" role="status" aria-live="polite">
      <span className="pp-spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}

/** A load failure that is not one of the page's known states: say so and offer to try again. */
export function LoadFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <StatusView tone="error" title={errorMessage(error, t)}>
      <button type="button" className="pp-button pp-primary" onClick={onRetry}>
        {t('app.retry')}
      </button>
    </StatusView>
  );
}

/** ★★★☆☆ for a level, read out as the level's name by screen readers. */
export function Stars({ n, label }: { n: number; label?: string }) {
  return (
    <span className="pp-stars" aria-label={label} role={label ? 'img' : undefined}>
      <span className="pp-stars-on" aria-hidden="true">
        {'★'.repeat(n)}
      </span>
      <span className="pp-stars-off" aria-hidden="true">
        {'★'.repeat(5 - n)}
      </span>
    </span>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

/** The text a person reads for a failed request, in the current language. */
export function errorMessage(error: unknown, t: T): string {
  if (error instanceof PublicError) {
    return t(`errors.${error.code}`, { ...error.params, defaultValue: error.serverMessage || error.code });
  }
  return error instanceof Error ? error.message : String(error);
}

/** 0.9234 → "92.3%"; null → "—". */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${(value * 100).toFixed(1)}%`;
}

/** An ISO time as the local "YYYY-MM-DD HH:mm". */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
