/* Pieces shared by the result pages: ranks, moves, flags, review stages, the integrity line. */
import { useTranslation } from 'react-i18next';
import { isEnglish } from '../i18n';
import type { PublicResult, PublicResultFlag, PublicReviewStage } from '../types';
import { longDate, rankMove } from './format';
import './results.css';

/** "第 2 名" and, when another unit has the same rank, "并列". */
export function RankText({ rank, tied }: { rank: number; tied: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="rs-rank">
      {t('results.rank', { n: rank })}
      {tied && <span className="rs-tied">{t('results.tied')}</span>}
    </span>
  );
}

/** ↑3 / ↓2 / — against the previous published period, read out in words. */
export function Move({
  change,
  words = false,
  label = false,
}: {
  change: number | null;
  words?: boolean;
  /** Say what the arrow compares with ("较上期 ↑3"), where no column header does. */
  label?: boolean;
}) {
  const { t } = useTranslation();
  const move = rankMove(change);
  const text =
    move.dir === 'up' || move.dir === 'down'
      ? t(`results.move.${move.dir}`, { n: move.n })
      : t(`results.move.${move.dir}`);
  const mark =
    move.dir === 'up'
      ? `↑${move.n}`
      : move.dir === 'down'
        ? `↓${move.n}`
        : move.dir === 'same'
          ? t('results.move.sameShort')
          : '—';
  if (move.dir === 'new' && (words || label)) {
    return <span className="rs-move rs-move-new">{text}</span>;
  }
  return (
    <span className={`rs-move rs-move-${move.dir}`} title={text}>
      {label && <span className="rs-move-label">{t('results.moveLabel')}</span>}
      <span aria-hidden="true">{mark}</span>
      {words ? <span className="rs-move-words">{text}</span> : <span className="rs-sr">{text}</span>}
    </span>
  );
}

const FLAG_ORDER: PublicResultFlag[] = [
  'vetoed',
  'promoted',
  'largest_decline',
  'declined_two_running',
  'indistinct',
  'small_sample',
];

/** The flags of a row in words, the serious ones first. */
export function Flags({
  flags,
  omit = [],
  short = false,
}: {
  flags: readonly PublicResultFlag[];
  /** Flags a list leaves to the unit's own page. */
  omit?: readonly PublicResultFlag[];
  /** The short words, for a table column (a legend under the table says what they mean). */
  short?: boolean;
}) {
  const { t } = useTranslation();
  const shown = FLAG_ORDER.filter((f) => flags.includes(f) && !omit.includes(f));
  if (shown.length === 0) return null;
  return (
    <span className="rs-flags">
      {shown.map((f) => (
        <span key={f} className={`rs-flag rs-flag-${f}`}>
          {t(short ? `results.flagsShort.${f}` : `results.flags.${f}`)}
        </span>
      ))}
    </span>
  );
}

/** The review stages that approved the lists: body, date, decision, reason. */
export function Stages({ stages }: { stages: readonly PublicReviewStage[] }) {
  const { t } = useTranslation();
  const english = isEnglish();
  if (stages.length === 0) return <p className="pp-hint">{t('results.stagesNone')}</p>;
  return (
    <ol className="rs-stages">
      {[...stages]
        .sort((a, b) => a.stageIndex - b.stageIndex)
        .map((s) => (
          <li key={s.stageIndex} className="rs-stage">
            <div className="rs-stage-head">
              <strong>{s.body}</strong>
              <span className={`rs-decision rs-decision-${s.decision}`}>
                {t(`results.decision.${s.decision}`)}
              </span>
            </div>
            <div className="rs-stage-meta">
              {s.stageName} · {longDate(s.decidedOn, english)}
            </div>
            {s.reason && <p className="rs-stage-reason">{t('results.reason', { reason: s.reason })}</p>}
          </li>
        ))}
    </ol>
  );
}

/** Scheme version and digests, and how anyone can check them. */
export function Integrity({ result }: { result: PublicResult }) {
  const { t } = useTranslation();
  return (
    <section className="pp-card rs-integrity">
      <h2 className="pp-h2">{t('results.integrityTitle')}</h2>
      <dl className="rs-digests">
        <div>
          <dt>{t('results.schemeVersion')}</dt>
          <dd>
            {result.schemeName} · {t('results.versionN', { n: result.schemeVersion })}
          </dd>
        </div>
        <div>
          <dt>{t('results.inputsDigest')}</dt>
          <dd className="rs-digest">{result.inputsDigest}</dd>
        </div>
        <div>
          <dt>{t('results.resultsDigest')}</dt>
          <dd className="rs-digest">{result.resultsDigest}</dd>
        </div>
      </dl>
      <p className="pp-hint">{t('results.verifyText')}</p>
      <pre className="rs-command">{`minping verify result ${result.id}`}</pre>
    </section>
  );
}

/** A slim trail of links back up (plain links: the public pages have no router). */
export function Crumbs({ items }: { items: { href: string; label: string }[] }) {
  return (
    <nav className="rs-crumbs rs-noprint" aria-label="breadcrumb">
      {items.map((item, i) => (
        <span key={item.href}>
          {i > 0 && <span aria-hidden="true"> › </span>}
          <a href={item.href}>{item.label}</a>
        </span>
      ))}
    </nav>
  );
}
