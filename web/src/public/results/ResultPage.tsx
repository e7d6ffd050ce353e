import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading, StatusView } from '../components';
import { PublicError } from '../http';
import { isEnglish } from '../i18n';
import type { PublicResult, PublicRow } from '../types';
import { gradeName } from './explain';
import { chinaDay, fixed, longDate, resultKind, tiedRanks } from './format';
import { Crumbs, Flags, Integrity, Move, RankText, Stages } from './parts';
import { resultNoticePath, resultsPath, resultUnitPath } from './routes';
import { useLoad } from './useLoad';

/** A missing or unpublished result is one answer: not found. */
export function ResultNotFound() {
  const { t } = useTranslation();
  return (
    <StatusView tone="warning" title={t('results.notFoundTitle')} text={t('results.notFoundText')}>
      <a className="pp-button pp-block" href={resultsPath()}>
        {t('results.allResults')}
      </a>
    </StatusView>
  );
}

export const isNotFound = (e: unknown): boolean => e instanceof PublicError && e.status === 404;

/** /public/results/:id — 十佳十差 side by side, or the hardest sections with their problems; then everything. */
export function ResultPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad<PublicResult>(`/api/public/results/${encodeURIComponent(id)}`);
  useEffect(() => {
    // A bookmark or a shared link names the result, not just "published results".
    if (data) document.title = `${data.periodName} ${data.schemeName} · ${t('app.name')}`;
  }, [data, t]);

  if (isNotFound(error)) return <ResultNotFound />;
  if (error && !data) return <LoadFailed error={error} onRetry={reload} />;
  if (!data) return <Loading />;

  const kind = resultKind(data);
  const tied = tiedRanks(data.units);
  return (
    <div className="rs-page">
      <Crumbs items={[{ href: resultsPath(), label: t('results.allResults') }]} />
      <ResultHeading result={data} />
      <IndistinctNote result={data} />
      {kind === 'best_worst' && (
        <div className="rs-columns">
          <Board result={data} side="best" rows={data.best} tied={tied} />
          <Board result={data} side="worst" rows={data.worst} tied={tied} />
        </div>
      )}
      {kind === 'worst_only' && <Hardest result={data} tied={tied} />}
      {/* Without lists the ranking is the result: never folded away. */}
      <AllUnits result={data} tied={tied} alwaysOpen={kind === 'ranking'} />
      <section className="pp-card">
        <h2 className="pp-h2">{t('results.stagesTitle')}</h2>
        <p className="pp-hint rs-gap">{t('results.stagesIntro')}</p>
        <Stages stages={data.stages} />
      </section>
      <Integrity result={data} />
    </div>
  );
}

function ResultHeading({ result }: { result: PublicResult }) {
  const { t } = useTranslation();
  const kind = resultKind(result);
  return (
    <section className="pp-card rs-heading">
      <span className={`rs-kind rs-kind-${kind}`}>{kindLabel(t, result)}</span>
      <h1>
        {result.periodName} {result.schemeName}
      </h1>
      <dl className="rs-facts">
        <div>
          <dt>{t('results.group')}</dt>
          <dd>{result.groupName}</dd>
        </div>
        <div>
          <dt>{t('results.period')}</dt>
          <dd>{result.periodName}</dd>
        </div>
        <div>
          <dt>{t('results.publishedOn')}</dt>
          <dd>{longDate(chinaDay(result.publishedAt), isEnglish())}</dd>
        </div>
      </dl>
      <a className="pp-button rs-notice-link rs-noprint" href={resultNoticePath(result.id)}>
        {t('results.noticeLink')}
      </a>
    </section>
  );
}

/**
 * Flags the lists leave to each unit's own page: a small sample, and a rank not told apart from its
 * neighbour's (which applies to most units of a close result: said once, by IndistinctNote).
 */
const LIST_OMITS = ['small_sample', 'indistinct'] as const;

/** Once for the whole result: how many ranks the statistics cannot tell apart from their neighbours. */
function IndistinctNote({ result }: { result: PublicResult }) {
  const { t } = useTranslation();
  const n = result.units.filter((u) => u.flags.includes('indistinct')).length;
  if (n === 0) return null;
  return (
    <section className="pp-card rs-indistinct" data-testid="indistinct-note">
      <p>{t('results.indistinctNote', { n, total: result.units.length })}</p>
    </section>
  );
}

/** Rank changes are shown only when there was a previous published period to compare with. */
const hasMoves = (result: PublicResult): boolean => result.units.some((u) => u.rankChange !== null);

/** 十佳十差 only when the lists are ten and ten; 最难办事科室 for a worst-only ranking. */
function kindLabel(t: TFunction, result: PublicResult): string {
  const kind = resultKind(result);
  if (kind === 'worst_only') return t('results.kind.worst_only');
  if (kind === 'ranking') return t('results.kind.ranking');
  return result.best.length === 10 && result.worst.length === 10
    ? t('results.kind.best_worst')
    : t('results.kind.lists');
}

/** 十佳 / 十差 for lists of ten; 前 3 名 / 后 3 名 otherwise. */
export function listTitle(t: TFunction, result: PublicResult, side: 'best' | 'worst'): string {
  const n = result[side].length;
  return n === 10 || n === 0 ? t(`results.${side}Title`) : t(`results.${side}TitleN`, { n });
}

/** One of the two lists: rank, unit, total, grade, flags, move. */
function Board({
  result,
  side,
  rows,
  tied,
}: {
  result: PublicResult;
  side: 'best' | 'worst';
  rows: PublicRow[];
  tied: Set<number>;
}) {
  const { t } = useTranslation();
  const moves = hasMoves(result);
  return (
    <section className={`pp-card rs-board rs-board-${side}`}>
      <h2 className="rs-board-title">{listTitle(t, result, side)}</h2>
      {rows.length === 0 ? (
        <p className="pp-empty">{t('results.listEmptyPart')}</p>
      ) : (
        <ol className="rs-rows">
          {rows.map((row) => (
            <li key={row.unitId} className="rs-row">
              <span className="rs-row-rank">
                <RankText rank={row.rank} tied={tied.has(row.rank)} />
              </span>
              <span className="rs-row-main">
                <a className="rs-unit" href={resultUnitPath(result.id, row.unitId)}>
                  {row.name}
                </a>
                {row.parentName && <span className="rs-parent">{row.parentName}</span>}
                <Flags flags={row.flags} omit={LIST_OMITS} />
                {row.problems && (
                  <span className="rs-row-problems">{t('results.problemsLine', { text: row.problems })}</span>
                )}
              </span>
              <span className="rs-row-figures">
                <span className="rs-total">{fixed(row.total, result.precision)}</span>
                {row.grade && <span className="rs-grade">{gradeName(t, row.grade)}</span>}
                {moves && <Move change={row.rankChange} label />}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** 最难办事科室: a newspaper-style list, each section with its main problems. */
function Hardest({ result, tied }: { result: PublicResult; tied: Set<number> }) {
  const { t } = useTranslation();
  const moves = hasMoves(result);
  return (
    <section className="pp-card rs-hardest">
      <h2 className="rs-board-title">{t('results.hardestTitle')}</h2>
      <p className="pp-hint rs-gap">{t('results.hardestIntro')}</p>
      {result.worst.length === 0 ? (
        <p className="pp-empty">{t('results.listEmptyPart')}</p>
      ) : (
        <ol className="rs-paper">
          {result.worst.map((row, i) => (
            <li key={row.unitId} className="rs-paper-item">
              <span className="rs-paper-no" aria-hidden="true">
                {i + 1}
              </span>
              <div className="rs-paper-body">
                <h3>
                  <a className="rs-unit" href={resultUnitPath(result.id, row.unitId)}>
                    {row.name}
                  </a>
                </h3>
                {row.parentName && <div className="rs-parent">{row.parentName}</div>}
                <div className="rs-paper-meta">
                  {t('results.score', { score: fixed(row.total, result.precision) })} ·{' '}
                  <RankText rank={row.rank} tied={tied.has(row.rank)} />
                  {moves && (
                    <>
                      {' · '}
                      <Move change={row.rankChange} words />
                    </>
                  )}
                </div>
                <Flags flags={row.flags} omit={LIST_OMITS} />
                <p className="rs-paper-problems">
                  <strong>{t('results.problems')}</strong>
                  {row.problems ?? t('results.noProblems')}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The whole group, collapsed on a phone (it can be hundreds of rows). */
function AllUnits({
  result,
  tied,
  alwaysOpen,
}: {
  result: PublicResult;
  tied: Set<number>;
  alwaysOpen: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(() => alwaysOpen || window.matchMedia('(min-width: 720px)').matches);
  const hasGrades = result.units.some((u) => u.grade !== null);
  const moves = hasMoves(result);
  const notes = result.units.some((u) => u.flags.some((f) => f !== 'indistinct'));
  return (
    <section className="pp-card">
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="rs-all">
        <summary className="rs-all-summary">{t('results.allUnits', { n: result.units.length })}</summary>
        <p className="pp-hint rs-gap">{t('results.allUnitsHint')}</p>
        <div className="rs-table-wrap">
          <table className="rs-table">
            <thead>
              <tr>
                <th scope="col" className="rs-num">
                  {t('results.col.rank')}
                </th>
                <th scope="col">{t('results.col.unit')}</th>
                <th scope="col" className="rs-num">
                  {t('results.col.total')}
                </th>
                {hasGrades && <th scope="col">{t('results.col.grade')}</th>}
                {moves && <th scope="col">{t('results.col.move')}</th>}
                {notes && <th scope="col">{t('results.col.notes')}</th>}
              </tr>
            </thead>
            <tbody>
              {result.units.map((row) => (
                <tr key={row.unitId}>
                  <td className="rs-num">
                    {row.rank}
                    {tied.has(row.rank) && <span className="rs-tied">{t('results.tied')}</span>}
                  </td>
                  <td>
                    <a href={resultUnitPath(result.id, row.unitId)}>{row.name}</a>
                    {row.parentName && <span className="rs-parent">{row.parentName}</span>}
                  </td>
                  <td className="rs-num">{fixed(row.total, result.precision)}</td>
                  {hasGrades && <td>{gradeName(t, row.grade)}</td>}
                  {moves && (
                    <td>
                      <Move change={row.rankChange} />
                    </td>
                  )}
                  {notes && (
                    <td>
                      <Flags flags={row.flags} omit={['indistinct']} short />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {notes && <p className="pp-hint">{t('results.flagsLegend')}</p>}
      </details>
    </section>
  );
}
