import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading } from '../components';
import { isEnglish } from '../i18n';
import type { PublicResultSummary } from '../types';
import { chinaDay, listKind, longDate, newestFirst } from './format';
import { resultPath } from './routes';
import { useLoad } from './useLoad';

/** /public/results — every published result, newest first. */
export function ResultsListPage() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad<PublicResultSummary[]>('/api/public/results');
  const english = isEnglish();

  if (error && !data) return <LoadFailed error={error} onRetry={reload} />;
  return (
    <div className="rs-page rs-narrow">
      <section className="pp-card">
        <h1>{t('results.listTitle')}</h1>
        <p className="pp-hint">{t('results.listIntro')}</p>
      </section>
      {!data && <Loading />}
      {data && data.length === 0 && (
        <section className="pp-card">
          <p className="pp-empty">{t('results.listEmpty')}</p>
        </section>
      )}
      {data && data.length > 0 && (
        <ul className="rs-list">
          {newestFirst(data).map((r) => (
            <li key={r.id}>
              <a className="pp-card rs-list-item" href={resultPath(r.id)}>
                <span className={`rs-kind rs-kind-${listKind(r)}`} data-testid="result-kind">
                  {t(`results.kindShort.${listKind(r)}`)}
                </span>
                <span className="rs-list-title">
                  {r.periodName} {r.schemeName}
                </span>
                <span className="rs-list-meta">
                  {r.groupName} ·{' '}
                  {t('results.published', { date: longDate(chinaDay(r.publishedAt), english) })}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
