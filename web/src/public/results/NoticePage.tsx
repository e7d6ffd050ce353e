import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading } from '../components';
import { isEnglish } from '../i18n';
import type { PublicResult, PublicRow } from '../types';
import { gradeName } from './explain';
import {
  chinaDay,
  fixed,
  longDate,
  maxPointsText as points,
  type Method,
  methodOf,
  noticeTitle,
  resultKind,
  tiedRanks,
} from './format';
import { isNotFound, ResultNotFound } from './ResultPage';
import { resultPath } from './routes';
import { useLoad } from './useLoad';

/** /public/results/:id/notice — the printable 通报 (A4; the bar, the buttons and the links do not print). */
export function NoticePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const result = useLoad<PublicResult>(`/api/public/results/${encodeURIComponent(id)}`);

  const data = result.data;
  useEffect(() => {
    if (data) document.title = noticeTitle(t, data.schemeName, data.periodName);
  }, [data, t]);

  if (isNotFound(result.error)) return <ResultNotFound />;
  if (result.error && !data) return <LoadFailed error={result.error} onRetry={result.reload} />;
  if (!data) return <Loading />;
  // The result names the scheme's components: the method paragraph needs no further request.
  return <Notice result={data} method={methodOf(data.components)} />;
}

function Notice({ result, method }: { result: PublicResult; method: Method | null }) {
  const { t } = useTranslation();
  const english = isEnglish();
  const kind = resultKind(result);
  const tied = tiedRanks(result.units);
  const issuer = result.issuer ?? t('results.notice.issuer');
  const day = longDate(chinaDay(result.publishedAt), english);
  const stages = [...result.stages].sort((a, b) => a.stageIndex - b.stageIndex);
  const bodies = [...new Set(stages.map((s) => s.body))].join(t('results.notice.bodiesJoin'));
  const numbers = t('results.notice.numbers').split(',');
  let n = 0;
  const heading = (title: string) => t('results.notice.heading', { n: numbers[n++] ?? String(n), title });
  const url = `${window.location.origin}${resultPath(result.id)}`;
  const sideHeading = (side: 'best' | 'worst') => {
    const size = result[side].length;
    return size === 10 || size === 0
      ? t(`results.notice.${side}Heading`)
      : t(`results.notice.${side}HeadingN`, { n: size });
  };
  const opening = {
    scheme: result.schemeName,
    version: result.schemeVersion,
    period: result.periodName,
    group: result.groupName,
    bodies,
  };

  return (
    <div className="rs-notice-screen">
      <div className="rs-notice-tools rs-noprint">
        <a href={resultPath(result.id)}>{t('results.backToResult')}</a>
        <button type="button" className="pp-button pp-primary" onClick={() => window.print()}>
          {t('results.notice.print')}
        </button>
        <p className="pp-hint">{t('results.notice.printHint')}</p>
      </div>
      <article className="rs-sheet">
        <header className="rs-masthead">{issuer}</header>
        <h1 className="rs-notice-title">{noticeTitle(t, result.schemeName, result.periodName)}</h1>
        <p className="rs-para">
          {t(stages.length > 0 ? 'results.notice.opening' : 'results.notice.openingNoStages', opening)}
        </p>

        {kind === 'ranking' && (
          <>
            <h2>{heading(t('results.notice.rankingHeading'))}</h2>
            <NoticeTable result={result} rows={result.units} tied={tied} />
          </>
        )}
        {kind === 'best_worst' && (
          <>
            <h2>{heading(sideHeading('best'))}</h2>
            <NoticeTable result={result} rows={result.best} tied={tied} />
            <h2>{heading(sideHeading('worst'))}</h2>
            <NoticeTable result={result} rows={result.worst} tied={tied} />
          </>
        )}
        {kind === 'worst_only' && (
          <>
            <h2>{heading(t('results.notice.hardestHeading'))}</h2>
            <ol className="rs-notice-hardest">
              {result.worst.map((row) => (
                <li key={row.unitId}>
                  <strong>{unitLabel(row)}</strong>
                  {t('results.scoreParen', { score: fixed(row.total, result.precision) })}
                  <br />
                  {t('results.problemsLine', { text: row.problems ?? t('results.noProblems') })}
                </li>
              ))}
            </ol>
          </>
        )}

        <h2>{heading(t('results.notice.methodHeading'))}</h2>
        <p className="rs-para">
          {method
            ? t('results.notice.method', {
                max: points(method.max),
                list: method.parts
                  .map((c) => t('results.notice.methodItem', { name: c.name, points: points(c.maxPoints) }))
                  .join(t('results.notice.listJoin')),
              })
            : t('results.notice.methodGeneric')}
        </p>

        {stages.length > 0 && (
          <>
            <h2>{heading(t('results.notice.stagesHeading'))}</h2>
            {stages.map((s) => (
              <p key={s.stageIndex} className="rs-para">
                {stageLine(t, s, english)}
              </p>
            ))}
          </>
        )}

        <h2>{heading(t('results.notice.verifyHeading'))}</h2>
        <p className="rs-para rs-verify">
          {t('results.notice.verify', {
            version: result.schemeVersion,
            inputs: result.inputsDigest,
            results: result.resultsDigest,
            command: `minping verify result ${result.id}`,
            url,
          })}
        </p>

        <footer className="rs-signoff">
          <div>{issuer}</div>
          <div>{day}</div>
        </footer>
      </article>
    </div>
  );
}

function stageLine(t: TFunction, s: PublicResult['stages'][number], english: boolean): string {
  // 区纪委常委会 deciding at 区纪委常委会审议 is said once.
  const key = s.stageName.startsWith(s.body) ? 'results.notice.stageLineNamed' : 'results.notice.stageLine';
  const line = t(key, {
    date: longDate(s.decidedOn, english),
    body: s.body,
    stage: s.stageName,
    decision: t(`results.decision.${s.decision}`),
  });
  return s.reason ? `${line}${t('results.reason', { reason: s.reason })}` : line;
}

/** A section is named with its department on paper, where no link explains it. */
const unitLabel = (row: PublicRow): string => (row.parentName ? `${row.parentName} ${row.name}` : row.name);

function NoticeTable({ result, rows, tied }: { result: PublicResult; rows: PublicRow[]; tied: Set<number> }) {
  const { t } = useTranslation();
  const hasGrades = rows.some((r) => r.grade !== null);
  const hasFlags = rows.some((r) => r.flags.includes('vetoed') || r.flags.includes('promoted'));
  if (rows.length === 0) return <p className="rs-para">{t('results.listEmptyPart')}</p>;
  return (
    <table className="rs-notice-table">
      <thead>
        <tr>
          <th>{t('results.notice.no')}</th>
          <th>{t('results.col.unit')}</th>
          <th>{t('results.col.total')}</th>
          <th>{t('results.col.rank')}</th>
          {hasGrades && <th>{t('results.col.grade')}</th>}
          {hasFlags && <th>{t('results.col.notes')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={row.unitId}>
            <td className="rs-center">{i + 1}</td>
            <td>{unitLabel(row)}</td>
            <td className="rs-num">{fixed(row.total, result.precision)}</td>
            <td className="rs-center">
              {row.rank}
              {tied.has(row.rank) && t('results.tiedParen')}
            </td>
            {hasGrades && <td className="rs-grade-cell">{gradeName(t, row.grade)}</td>}
            {hasFlags && (
              <td>
                {(['vetoed', 'promoted'] as const)
                  .filter((f) => row.flags.includes(f))
                  .map((f) => t(`results.flags.${f}`))
                  .join(t('results.notice.listJoin'))}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
