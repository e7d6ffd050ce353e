import { useTranslation } from 'react-i18next';
import type { PublicDrawView, QuotaFeature, StratumView } from '../../../src/panel/types';
import { LoadFailed, Loading } from './components';
import { useLoad } from './results/useLoad';

/** A probability as a percentage, with more digits when it is small (0.049%). */
const percent = (p: number) => `${(p * 100).toFixed(p > 0 && p < 0.01 ? 3 : 1)}%`;

/** /public/draws/:id — a draw's public record: rules, digests, commitment, seed, counts by stratum; never names. */
export function DrawPublicPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad<PublicDrawView>(`/api/public/draws/${encodeURIComponent(id)}`);
  if (error && !data) return <LoadFailed error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const name = (feature: QuotaFeature, value: string) =>
    feature === 'grassroots'
      ? t(`draw.grassroots.${value === 'yes' ? 'yes' : 'no'}`)
      : (data.labels[value] ?? value);
  const stratum = (s: StratumView) =>
    Object.entries(s.values)
      .map(([f, vs]) => (vs.length ? vs.map((v) => name(f as QuotaFeature, v)).join('+') : t('draw.other')))
      .join(' · ') || t('draw.all');
  const row = (label: string, value: string | null) => (
    <div className="pp-draw-row">
      <dt>{label}</dt>
      <dd>
        <code>{value ?? t('draw.notYet')}</code>
      </dd>
    </div>
  );
  return (
    <div className="rs-page rs-narrow">
      <section className="pp-card">
        <p className="pp-hint">{t(`draw.state.${data.state}`)}</p>
        <h1 data-testid="draw-purpose">{data.purpose}</h1>
        <p>
          {data.size !== null && t('draw.size', { n: data.size })}{' '}
          {t('draw.pool', { n: data.poolSize, eligible: data.eligible })}
        </p>
        {data.quotas.length > 0 && (
          <>
            <h2>{t('draw.quotas')}</h2>
            <ul>
              {data.quotas.map((q) => (
                <li key={`${q.feature}=${q.value}`}>
                  {t(`draw.feature.${q.feature}`)} {name(q.feature, q.value)}: {q.min}–{q.max}
                </li>
              ))}
            </ul>
          </>
        )}
        {data.rotationDays ? <p>{t('draw.rotation', { n: data.rotationDays })}</p> : null}
        {data.subjectUnits.length > 0 && (
          <p>{t('draw.subjects', { names: data.subjectUnits.map((u) => u.name).join('、') })}</p>
        )}
      </section>
      <section className="pp-card">
        <h2>{t('draw.record')}</h2>
        <dl>
          {row(t('draw.rulesDigest'), data.rulesDigest)}
          {row(t('draw.snapshotDigest'), data.snapshotDigest)}
          {row(t('draw.commitment'), data.commitment)}
          {row(t('draw.secret'), data.secret)}
          {row(t('draw.publicValue'), data.publicValue)}
          {row(t('draw.seed'), data.seed)}
          {row(t('draw.resultDigest'), data.resultDigest)}
        </dl>
        <p className="pp-hint">{t('draw.howToCheck')}</p>
      </section>
      {data.strata.length > 0 && (
        <section className="pp-card">
          <h2>{t('draw.strata')}</h2>
          <table className="pp-table" data-testid="draw-strata">
            <thead>
              <tr>
                <th>{t('draw.stratum')}</th>
                <th>{t('draw.eligible')}</th>
                <th>{t('draw.drawn')}</th>
                <th>{t('draw.probability')}</th>
              </tr>
            </thead>
            <tbody>
              {data.strata.map((s) => (
                <tr key={s.key}>
                  <td>{stratum(s)}</td>
                  <td>{s.eligible}</td>
                  <td>{s.drawn}</td>
                  <td>{percent(s.probability)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.state === 'published' && <p>{t('draw.selected', { n: data.selectedCount })}</p>}
        </section>
      )}
    </div>
  );
}
