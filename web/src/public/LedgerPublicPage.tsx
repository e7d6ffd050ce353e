import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicLedger, PublicLedgerUnit } from '../../../src/ledger/types';
import { LoadFailed, Loading, localTime } from './components';
import { useLoad } from './results/useLoad';

const SHOWN = 15;

/**
 * /public/ledger — the rectification ledger as the public sees it, live: items raised, in progress,
 * closed and overdue in total and per unit, and the closed items with what was done and what proves it.
 * Only what /api/public/ledger publishes: no responsible person, no files, personal numbers masked.
 */
export function LedgerPublicPage() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad<PublicLedger>('/api/public/ledger');
  const [needle, setNeedle] = useState('');
  const [all, setAll] = useState(false);
  const [unit, setUnit] = useState<PublicLedgerUnit | null>(null);

  const units = useMemo(() => {
    const list = data?.units ?? [];
    const n = needle.trim();
    return n ? list.filter((u) => u.name.includes(n) || u.code.includes(n)) : list;
  }, [data, needle]);

  if (error && !data) return <LoadFailed error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const figures = unit ?? data.totals;
  const closedItems = unit ? data.closedItems.filter((i) => i.unitName === unit.name) : data.closedItems;
  const max = Math.max(1, ...units.map((u) => u.raised));

  return (
    <div className="lp-page">
      <section className="pp-card">
        <h1>{t('ledger.title')}</h1>
        <p className="pp-hint">{t('ledger.intro')}</p>
        <p className="lp-asof">{t('ledger.asOf', { time: localTime(data.asOf) })}</p>
      </section>

      <section className="pp-card" aria-labelledby="lp-figures">
        <div className="lp-figures-head">
          <h2 id="lp-figures" className="pp-h2">
            {unit ? unit.name : t('ledger.total')}
          </h2>
          {unit && (
            <button type="button" className="lp-link" onClick={() => setUnit(null)}>
              {t('ledger.backToTotal')}
            </button>
          )}
        </div>
        <div className="lp-tiles" data-testid="ledger-figures">
          <Tile label={t('ledger.raised')} n={figures.raised} />
          <Tile label={t('ledger.inProgress')} n={figures.inProgress} tone="progress" />
          <Tile label={t('ledger.closed')} n={figures.closed} tone="closed" />
          <Tile label={t('ledger.overdue')} n={figures.overdue} tone="overdue" />
        </div>
        <Bar
          raised={figures.raised}
          inProgress={figures.inProgress}
          closed={figures.closed}
          overdue={figures.overdue}
        />
        <p className="lp-rate">
          {figures.raised > 0
            ? t('ledger.closedRate', { pct: Math.round((figures.closed / figures.raised) * 100) })
            : t('ledger.noItems')}
        </p>
      </section>

      {!unit && (
        <section className="pp-card" aria-labelledby="lp-units">
          <h2 id="lp-units" className="pp-h2">
            {t('ledger.byUnit')}
          </h2>
          <input
            className="pp-input"
            type="search"
            value={needle}
            placeholder={t('ledger.search')}
            aria-label={t('ledger.search')}
            onChange={(e) => setNeedle(e.target.value)}
          />
          <div className="lp-legend" aria-hidden="true">
            <span className="lp-key lp-key-closed" /> {t('ledger.closed')}
            <span className="lp-key lp-key-progress" /> {t('ledger.inProgress')}
            <span className="lp-key lp-key-overdue" /> {t('ledger.overdueInProgress')}
          </div>
          {units.length === 0 && <p className="pp-empty">{t('ledger.noUnits')}</p>}
          <ul className="lp-units">
            {(all || needle ? units : units.slice(0, SHOWN)).map((u) => (
              <li key={u.unitId}>
                <button
                  type="button"
                  className="lp-unit"
                  onClick={() => setUnit(u)}
                  data-testid="ledger-unit"
                >
                  <span className="lp-unit-name">{u.name}</span>
                  <span className="lp-unit-n">
                    {t('ledger.unitLine', { closed: u.closed, raised: u.raised })}
                    {u.overdue > 0 && (
                      <em className="lp-overdue">{t('ledger.overdueN', { n: u.overdue })}</em>
                    )}
                  </span>
                  <span className="lp-unit-bar" style={{ width: `${Math.max(8, (u.raised / max) * 100)}%` }}>
                    <Bar
                      raised={u.raised}
                      inProgress={u.inProgress}
                      closed={u.closed}
                      overdue={u.overdue}
                      thin
                    />
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {!all && !needle && units.length > SHOWN && (
            <button type="button" className="pp-button lp-more" onClick={() => setAll(true)}>
              {t('ledger.showAll', { n: units.length })}
            </button>
          )}
        </section>
      )}

      <section className="pp-card" aria-labelledby="lp-closed">
        <h2 id="lp-closed" className="pp-h2">
          {t('ledger.closedItems')}
        </h2>
        <p className="pp-hint">{t('ledger.closedHint')}</p>
        {closedItems.length === 0 && <p className="pp-empty">{t('ledger.noClosed')}</p>}
        <ol className="lp-closed">
          {closedItems.map((i) => (
            <li key={i.reference} className="lp-item" data-testid="ledger-closed-item">
              <div className="lp-item-head">
                <strong>{i.title}</strong>
                <span className="lp-badge">{t('ledger.closedBadge')}</span>
              </div>
              <div className="lp-item-meta">
                {i.unitName} · {t('ledger.closedOn', { date: localTime(i.closedAt).slice(0, 10) })} ·{' '}
                {i.reference}
              </div>
              {i.measures && (
                <p>
                  <span className="lp-label">{t('ledger.measures')}</span>
                  {i.measures}
                </p>
              )}
              {i.resultText && (
                <p>
                  <span className="lp-label">{t('ledger.result')}</span>
                  {i.resultText}
                </p>
              )}
              <div className="lp-evidence" data-testid="ledger-evidence">
                {t('ledger.evidence', { photos: i.evidence.photos, documents: i.evidence.documents })}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Tile({ label, n, tone }: { label: string; n: number; tone?: 'progress' | 'closed' | 'overdue' }) {
  return (
    <div className={`lp-tile${tone ? ` lp-tile-${tone}` : ''}`}>
      <span className="lp-tile-n">{n}</span>
      <span className="lp-tile-label">{label}</span>
    </div>
  );
}

/** Closed, in progress (on time) and overdue as parts of one bar. */
function Bar({
  raised,
  inProgress,
  closed,
  overdue,
  thin = false,
}: {
  raised: number;
  inProgress: number;
  closed: number;
  overdue: number;
  thin?: boolean;
}) {
  if (raised === 0) return null;
  const part = (n: number) => `${(n / raised) * 100}%`;
  return (
    <span className={thin ? 'lp-bar lp-bar-thin' : 'lp-bar'} aria-hidden="true">
      <span className="lp-bar-closed" style={{ width: part(closed) }} />
      <span className="lp-bar-progress" style={{ width: part(inProgress - overdue) }} />
      <span className="lp-bar-overdue" style={{ width: part(overdue) }} />
    </span>
  );
}
