import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading, StatusView } from '../components';
import type { ComponentExplanation, FiredRule, PublicResult, PublicUnitResult } from '../types';
import { componentsById, countsOf, gradeName, provenanceWords, ruleSentence } from './explain';
import {
  fixed,
  formatValue,
  mappingWords,
  maxPointsText as points,
  resultKind,
  sampleSentence,
  sourceWords,
  tiedRanks,
  valueKind,
} from './format';
import { Crumbs, Flags, Move, RankText } from './parts';
import { isNotFound, listTitle, ResultNotFound } from './ResultPage';
import { resultPath, resultsPath } from './routes';
import { useLoad } from './useLoad';

/** /public/results/:id/units/:unitId — one unit's published result, every number explained. */
export function ResultUnitPage({ id, unitId }: { id: string; unitId: string }) {
  const { t } = useTranslation();
  const base = `/api/public/results/${encodeURIComponent(id)}`;
  // Both at once: the result gives the context (precision, group size, lists), the unit its tree.
  const result = useLoad<PublicResult>(base);
  const unit = useLoad<PublicUnitResult>(`${base}/units/${encodeURIComponent(unitId)}`);

  if (isNotFound(result.error)) return <ResultNotFound />;
  if (isNotFound(unit.error)) {
    return (
      <StatusView tone="warning" title={t('results.unitNotFoundTitle')} text={t('results.unitNotFoundText')}>
        <a className="pp-button pp-block" href={resultPath(id)}>
          {t('results.backToResult')}
        </a>
      </StatusView>
    );
  }
  const error = result.error ?? unit.error;
  if (error && (!result.data || !unit.data)) {
    return (
      <LoadFailed
        error={error}
        onRetry={() => {
          result.reload();
          unit.reload();
        }}
      />
    );
  }
  if (!result.data || !unit.data) return <Loading />;
  return <Explained result={result.data} unit={unit.data} />;
}

/** The rules that change a unit's standing first; the bookkeeping ones after. */
const RULE_ORDER: FiredRule['rule'][] = [
  'veto',
  'promotion',
  'grade',
  'rank_change',
  'tie',
  'shrinkage',
  'average',
];

function Explained({ result, unit }: { result: PublicResult; unit: PublicUnitResult }) {
  const { t } = useTranslation();
  const p = result.precision;
  const kind = resultKind(result);
  const tied = tiedRanks(result.units).has(unit.rank);
  const onBest = result.best.some((r) => r.unitId === unit.unitId);
  const onWorst = result.worst.some((r) => r.unitId === unit.unitId);
  const root = unit.explanation;
  const tree = componentsById(root);
  const rules = [...unit.rules].sort((a, b) => RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
  return (
    <div className="rs-page rs-narrow">
      <Crumbs
        items={[
          { href: resultsPath(), label: t('results.allResults') },
          { href: resultPath(result.id), label: `${result.periodName} ${result.schemeName}` },
        ]}
      />
      <section className="pp-card">
        <div className="pp-kicker">{t('results.unit.kicker')}</div>
        <h1>{unit.name}</h1>
        {unit.parentName && <p className="pp-path">{unit.parentName}</p>}
        <p className="pp-path">
          {result.periodName} {result.schemeName} · {result.groupName}
        </p>
        {(onBest || onWorst) && (
          <p className={`rs-onlist rs-onlist-${onBest ? 'best' : 'worst'}`}>
            {kind === 'worst_only' && onWorst
              ? t('results.unit.onHardest')
              : t('results.unit.onList', { list: listTitle(t, result, onBest ? 'best' : 'worst') })}
          </p>
        )}
        <div className="pp-kpis rs-kpis">
          <div className="pp-kpi pp-kpi-big">
            <div className="pp-kpi-label">{t('results.unit.total')}</div>
            <div className="pp-kpi-value">{fixed(unit.total, p)}</div>
            <div className="pp-kpi-note">{t('results.unit.outOf', { max: points(root.maxPoints) })}</div>
          </div>
          <div className="pp-kpi pp-kpi-big">
            <div className="pp-kpi-label">{t('results.unit.rank')}</div>
            <div className="pp-kpi-value">
              <RankText rank={unit.rank} tied={tied} />
            </div>
            <div className="pp-kpi-note">{t('results.unit.rankOf', { count: result.units.length })}</div>
          </div>
          {unit.grade && (
            <div className="pp-kpi">
              <div className="pp-kpi-label">{t('results.unit.grade')}</div>
              <div className="pp-kpi-value">{gradeName(t, unit.grade)}</div>
            </div>
          )}
          {unit.rankChange !== null && (
            <div className="pp-kpi">
              <div className="pp-kpi-label">{t('results.unit.move')}</div>
              <div className="pp-kpi-value">
                <Move change={unit.rankChange} words />
              </div>
              {unit.previousRank !== null && (
                <div className="pp-kpi-note">{t('results.unit.previous', { n: unit.previousRank })}</div>
              )}
            </div>
          )}
        </div>
        <Flags flags={unit.flags} />
        {unit.flags.includes('indistinct') && <p className="pp-hint">{t('results.unit.indistinctHint')}</p>}
        {unit.flags.includes('small_sample') && (
          <p className="pp-hint">{t('results.unit.smallSampleHint')}</p>
        )}
        {unit.interval && (
          <p className="pp-hint">
            {t('results.unit.totalInterval', {
              low: fixed(unit.interval.low, p),
              high: fixed(unit.interval.high, p),
            })}
          </p>
        )}
        {unit.bonusScore !== null && (
          <p className="pp-hint">{t('results.unit.bonus', { score: fixed(unit.bonusScore, p) })}</p>
        )}
      </section>

      {unit.problems && (
        <section className="pp-card rs-problems">
          <h2 className="pp-h2">{t('results.problems')}</h2>
          <p>{unit.problems}</p>
        </section>
      )}

      {rules.length > 0 && (
        <section className="pp-card">
          <h2 className="pp-h2">{t('results.unit.rulesTitle')}</h2>
          <ul className="rs-rules">
            {rules.map((rule, i) => (
              <li key={i} className={`rs-rule rs-rule-${rule.rule}`}>
                <strong>{t(`results.rule.${rule.rule}`)}</strong>
                <span>{ruleSentence(t, rule, tree, p)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="pp-card">
        <h2 className="pp-h2">{t('results.unit.treeTitle')}</h2>
        <p className="pp-hint rs-gap">{t('results.unit.treeIntro')}</p>
        <ol className="rs-tree rs-tree-top">
          {(root.children ?? [root]).map((c) => (
            <Node key={c.id} node={c} precision={p} />
          ))}
        </ol>
      </section>
    </div>
  );
}

function Node({ node, precision }: { node: ComponentExplanation; precision: number }) {
  const { t } = useTranslation();
  const leaf = !node.children || node.children.length === 0;
  const share = node.maxPoints > 0 ? Math.max(0, Math.min(1, node.points / node.maxPoints)) : 0;
  const kind = valueKind(node.source, node.mapping);
  const sample = sampleSentence(t, node.sampleSize, node.valueInterval, kind, precision);
  const basis = provenanceWords(t, node.provenance);
  const counts = kind === 'proportion' ? countsOf(node.provenance) : null;
  // The recorded value, when shrinkage moved the one used.
  const shrunkFrom =
    node.recordedValue !== undefined &&
    node.recordedValue !== null &&
    node.value !== undefined &&
    node.value !== null &&
    node.recordedValue !== node.value
      ? node.recordedValue
      : null;
  return (
    <li className={leaf ? 'rs-node rs-leaf' : 'rs-node'}>
      <div className="rs-node-head">
        <span className="rs-node-name">{node.name}</span>
        <span className="rs-node-points">
          {t('results.unit.pointsOf', { points: fixed(node.points, precision), max: points(node.maxPoints) })}
        </span>
      </div>
      <div className="rs-meter" aria-hidden="true">
        <span style={{ width: `${share * 100}%` }} />
      </div>
      {node.pointsInterval && (
        <div className="rs-node-note">
          {t('results.unit.pointsInterval', {
            low: fixed(node.pointsInterval.low, precision),
            high: fixed(node.pointsInterval.high, precision),
          })}
        </div>
      )}
      {leaf && (
        <dl className="rs-leaf-facts">
          {node.source && (
            <div>
              <dt>{t('results.unit.source')}</dt>
              <dd>{sourceWords(t, node.source)}</dd>
            </div>
          )}
          {node.value !== undefined && (
            <div>
              <dt>{t('results.unit.value')}</dt>
              <dd>
                {node.value === null
                  ? t('results.unit.noValue')
                  : formatValue(t, node.value, kind, precision)}
                {counts && shrunkFrom === null && t('results.provenance.counts', counts)}
                {shrunkFrom !== null &&
                  ` ${t('results.unit.shrunkFrom', { recorded: formatValue(t, shrunkFrom, kind, precision) })}`}
                {sample && <span className="rs-sample">{sample}</span>}
              </dd>
            </div>
          )}
          {node.mapping && (
            <div>
              <dt>{t('results.unit.mapping')}</dt>
              <dd>{mappingWords(t, node.mapping, kind)}</dd>
            </div>
          )}
          {basis && (
            <div>
              <dt>{t('results.unit.basis')}</dt>
              <dd>{basis}</dd>
            </div>
          )}
        </dl>
      )}
      {node.flags.length > 0 && (
        <ul className="rs-node-flags">
          {node.flags.map((f) => (
            <li key={f}>{t(`results.componentFlags.${f}`)}</li>
          ))}
        </ul>
      )}
      {!leaf && (
        <ol className="rs-tree">
          {node.children?.map((c) => (
            <Node key={c.id} node={c} precision={precision} />
          ))}
        </ol>
      )}
    </li>
  );
}
