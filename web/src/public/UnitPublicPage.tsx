import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, LoadFailed, Loading, percent, Stars, StatusView } from './components';
import { call, PublicError } from './http';
import {
  LEVEL_ORDER,
  type Proportion,
  type PublicCase,
  type PublicCases,
  type PublicStatistics,
} from './types';

interface PeriodChoice {
  key: string;
  label: string;
  from?: string;
  to?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today in China (UTC+8), as the server counts days. */
function chinaToday(): { year: number; month: number; day: string } {
  const d = new Date(Date.now() + 8 * 3600_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.toISOString().slice(0, 10) };
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The periods a visitor can pick without signing in (the period list is not public): this year to
 * date, its quarters and months so far, and last year.
 */
function usePeriodChoices(): PeriodChoice[] {
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const { year, month } = chinaToday();
    const choices: PeriodChoice[] = [{ key: 'ytd', label: t('public.periods.ytd', { year }) }];
    for (let q = Math.ceil(month / 3); q >= 1; q--) {
      const m1 = q * 3 - 2;
      choices.push({
        key: `q${q}`,
        label: t('public.periods.quarter', { year, n: q }),
        from: `${year}-${pad(m1)}-01`,
        to: `${year}-${pad(m1 + 2)}-${lastDay(year, m1 + 2)}`,
      });
    }
    for (let m = month; m >= 1; m--) {
      choices.push({
        key: `m${m}`,
        label: t('public.periods.month', { year, n: m }),
        from: `${year}-${pad(m)}-01`,
        to: `${year}-${pad(m)}-${lastDay(year, m)}`,
      });
    }
    choices.push({
      key: 'last',
      label: t('public.periods.year', { year: year - 1 }),
      from: `${year - 1}-01-01`,
      to: `${year - 1}-12-31`,
    });
    return choices;
    // The labels follow the language.
  }, [t, i18n.language]);
}

const PAGE_SIZE = 20;

/** /public/units/:code — a unit's published figures and the handling of its bad reviews. */
export function UnitPublicPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const choices = usePeriodChoices();
  const [periodKey, setPeriodKey] = useState('ytd');
  const period = choices.find((c) => c.key === periodKey) ?? choices[0];
  const range = period?.from && period.to ? `from=${period.from}&to=${period.to}` : '';
  const base = `/api/public/units/${encodeURIComponent(code)}`;

  const [stats, setStats] = useState<PublicStatistics | null>(null);
  const [statsError, setStatsError] = useState<unknown>(null);
  const [cases, setCases] = useState<PublicCases | null>(null);
  const [casesError, setCasesError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async () => {
    setStats(null);
    setCases(null);
    setStatsError(null);
    setCasesError(null);
    const query = range ? `?${range}` : '';
    // Both at once: on a slow connection the two round trips overlap.
    await Promise.all([
      call<PublicStatistics>('GET', `${base}/statistics${query}`).then(setStats, setStatsError),
      call<PublicCases>('GET', `${base}/cases?pageSize=${PAGE_SIZE}${range ? `&${range}` : ''}`).then(
        setCases,
        setCasesError,
      ),
    ]);
  }, [base, range]);

  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    if (!cases) return;
    setLoadingMore(true);
    try {
      const next = await call<PublicCases>(
        'GET',
        `${base}/cases?pageSize=${PAGE_SIZE}&page=${cases.page + 1}${range ? `&${range}` : ''}`,
      );
      setCases({ ...next, items: [...cases.items, ...next.items] });
    } catch (e) {
      setCasesError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  if (statsError instanceof PublicError && statsError.status === 404) {
    return (
      <StatusView tone="warning" title={t('states.unitNotFoundTitle')} text={t('states.unitNotFoundText')} />
    );
  }
  if (statsError && !stats) return <LoadFailed error={statsError} onRetry={() => void load()} />;

  return (
    <div className="pp-public">
      <section className="pp-card">
        <div className="pp-kicker">{t('public.title')}</div>
        <h1>{stats?.unit.name ?? cases?.unitName ?? '…'}</h1>
        <label className="pp-label" htmlFor="pp-period">
          {t('public.period')}
        </label>
        <select
          id="pp-period"
          className="pp-select"
          value={periodKey}
          onChange={(e) => setPeriodKey(e.target.value)}
        >
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
        {stats && <p className="pp-hint">{`${stats.period.from} ~ ${stats.period.to}`}</p>}
      </section>

      {!stats ? <Loading /> : <Figures stats={stats} />}

      <section className="pp-card">
        <h2 className="pp-h2">{t('public.casesTitle')}</h2>
        <p className="pp-hint">{t('public.casesIntro')}</p>
        {casesError !== null && (
          <div className="pp-alert" role="alert">
            {errorMessage(casesError, t)}
          </div>
        )}
        {!cases && casesError === null && <Loading />}
        {cases && cases.items.length === 0 && <p className="pp-empty">{t('public.casesEmpty')}</p>}
        {cases && cases.items.length > 0 && (
          <>
            <p className="pp-hint">{t('public.casesTotal', { n: cases.total })}</p>
            <ol className="pp-cases">
              {cases.items.map((c) => (
                <CaseItem key={c.id} item={c} />
              ))}
            </ol>
            {cases.items.length < cases.total && (
              <button
                type="button"
                className="pp-button pp-block"
                disabled={loadingMore}
                onClick={() => void more()}
              >
                {loadingMore ? t('app.loading') : t('public.loadMore')}
              </button>
            )}
          </>
        )}
      </section>

      <a className="pp-button pp-primary pp-block" href={`/q/${encodeURIComponent(code)}?c=web`}>
        {t('public.rateThis')}
      </a>
    </div>
  );
}

function Rate({
  label,
  p,
  big = false,
  tone,
}: {
  label: string;
  p: Proportion;
  big?: boolean;
  tone?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className={big ? 'pp-kpi pp-kpi-big' : 'pp-kpi'}>
      <div className="pp-kpi-label">{label}</div>
      <div className={`pp-kpi-value${tone ? ` pp-${tone}` : ''}`}>{percent(p.value)}</div>
      {p.low !== null && p.high !== null && p.denominator > 0 && (
        <div className="pp-kpi-note">
          {t('public.interval', { low: percent(p.low), high: percent(p.high) })}
        </div>
      )}
    </div>
  );
}

function Figures({ stats }: { stats: PublicStatistics }) {
  const { t } = useTranslation();
  const s = stats.statistics;
  const max = Math.max(1, ...LEVEL_ORDER.map((l) => s.byLevel[String(l) as '5'] ?? 0));
  if (stats.sampleSize === 0) {
    return (
      <section className="pp-card">
        <p className="pp-empty">{t('public.noRatings')}</p>
      </section>
    );
  }
  return (
    <section className="pp-card">
      <div className="pp-kpis">
        <Rate label={t('public.goodRate')} p={s.goodRate} big tone="good" />
        <Rate label={t('public.badRate')} p={s.badRate} big tone="bad" />
        <div className="pp-kpi">
          <div className="pp-kpi-label">{t('public.total')}</div>
          <div className="pp-kpi-value">{stats.sampleSize}</div>
        </div>
        <div className="pp-kpi">
          <div className="pp-kpi-label">{t('public.average')}</div>
          <div className="pp-kpi-value">{s.average === null ? '—' : s.average.toFixed(2)}</div>
        </div>
        <Rate label={t('public.replyRate')} p={s.replyRate} />
        <Rate label={t('public.satisfactionRate')} p={s.rectificationSatisfactionRate} />
      </div>
      <h2 className="pp-h2">{t('public.levelCounts')}</h2>
      <ul className="pp-bars">
        {LEVEL_ORDER.map((l) => {
          const n = s.byLevel[String(l) as '5'] ?? 0;
          return (
            <li key={l} className="pp-bar-row">
              <span className="pp-bar-label">
                <Stars n={l} label={t(`levels.${l}`)} />
              </span>
              <span className="pp-bar-track">
                <span className={`pp-bar-fill pp-bar-${l}`} style={{ width: `${(n / max) * 100}%` }} />
              </span>
              <span className="pp-bar-count">{n}</span>
            </li>
          );
        })}
      </ul>
      <p className="pp-hint">{t('public.goodFromNote', { from: stats.goodFrom })}</p>
    </section>
  );
}

function CaseItem({ item }: { item: PublicCase }) {
  const { t } = useTranslation();
  return (
    <li className="pp-case">
      <div className="pp-case-head">
        <Stars n={item.level} label={t(`levels.${item.level}`)} />
        <span className={`pp-state pp-state-${item.state}`}>
          {t(`caseStates.${item.state}`, { defaultValue: item.stateName })}
        </span>
      </div>
      <div className="pp-case-meta">
        {item.date} · {item.unitName} ·{' '}
        <span className="pp-nowrap">{t('public.reference', { ref: item.reference })}</span>
      </div>
      {item.tags.length > 0 && (
        <div className="pp-case-tags">
          {item.tags.map((tag) => (
            <span key={tag} className="pp-tag">
              {tag}
            </span>
          ))}
        </div>
      )}
      {item.comment && <p className="pp-case-comment">{item.comment}</p>}
      {item.dueOn && <p className="pp-hint">{t('public.due', { date: item.dueOn })}</p>}
      {item.rectificationText && (
        <div className="pp-answer">
          <strong>{t('public.rectification')}</strong>
          <p>{item.rectificationText}</p>
        </div>
      )}
      {item.replyText && (
        <div className="pp-answer">
          <strong>{t('public.reply')}</strong>
          <p>{item.replyText}</p>
        </div>
      )}
      {item.judgement && (
        <p className="pp-hint">
          {t('public.judgement', {
            name: t(`judge.${item.judgement}`, { defaultValue: item.judgementName ?? '' }),
          })}
        </p>
      )}
    </li>
  );
}
