/*
 * The engine's fired rules and provenance lines, in the reader's language. The engine writes them as
 * English sentences for clerks; the public pages rebuild them from the structured params (component
 * ids become names, grade keys become grade names, raw values are written by what they measure).
 * Pure: the catalogue comes in as `t`.
 */
import type { TFunction } from 'i18next';
import type { ComponentExplanation, FiredRule } from '../types';
import { fixed, formatValue, valueKind } from './format';

/** Every node of a tree, by id. */
export function componentsById(root: ComponentExplanation): Map<string, ComponentExplanation> {
  const map = new Map<string, ComponentExplanation>();
  const walk = (node: ComponentExplanation) => {
    map.set(node.id, node);
    node.children?.forEach(walk);
  };
  walk(root);
  return map;
}

/** A grade's name: the catalogue knows the usual keys; anything else is shown as the scheme named it. */
export function gradeName(t: TFunction, grade: string | null | undefined): string {
  if (!grade) return '';
  return t(`results.grades.${grade}`, { defaultValue: grade });
}

const num = (v: string | number | null | undefined): number | null =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))
      ? Number(v)
      : null;

const str = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);

/** One fired rule as a sentence a citizen can read. */
export function ruleSentence(
  t: TFunction,
  rule: FiredRule,
  tree: Map<string, ComponentExplanation>,
  precision: number,
): string {
  const p = rule.params;
  const component = tree.get(str(p.component));
  const componentName = component?.name ?? str(p.component);
  const points = (v: string | number | null | undefined) => {
    const n = num(v);
    return n === null ? str(v) : fixed(n, precision);
  };
  const value = (v: string | number | null | undefined) => {
    const n = num(v);
    if (n === null) return str(v);
    const kind = valueKind(component?.source, component?.mapping);
    return formatValue(t, n, kind === 'rank' ? 'number' : kind, precision);
  };
  switch (rule.rule) {
    case 'veto':
      if (typeof p.reason === 'string' && p.reason) return t('results.ruleText.veto', { reason: p.reason });
      if (p.promotion !== undefined) {
        return t('results.ruleText.vetoBarsPromotion', { grade: gradeName(t, str(p.grade)) });
      }
      return rule.detail;
    case 'promotion':
      return t('results.ruleText.promotion', {
        component: componentName,
        rank: str(p.rank),
        maxRank: str(p.maxRank),
        grade: gradeName(t, str(p.grade)),
      });
    case 'grade': {
      const grade = gradeName(t, str(p.grade));
      if (p.placesLeft !== undefined) {
        return t('results.ruleText.gradeQuotaTie', {
          rank: str(p.rank),
          grade,
          quota: str(p.quota),
          left: str(p.placesLeft),
        });
      }
      if (p.minScore === undefined) return t('results.ruleText.gradePromoted', { grade });
      return t('results.ruleText.grade', { rank: str(p.rank), total: points(p.total), grade });
    }
    case 'tie':
      return num(p.sharedWith) !== null && num(p.sharedWith)! > 0
        ? t('results.ruleText.tieShared', { others: str(p.tiedOnTotal), rank: str(p.rank) })
        : t('results.ruleText.tieBroken', {
            others: str(p.tiedOnTotal),
            rank: str(p.rank),
            by: str(p.tieBreak),
          });
    case 'shrinkage':
      return t('results.ruleText.shrinkage', {
        component: componentName,
        n: str(p.sampleSize),
        min: str(p.minSample),
        recorded: value(p.recorded),
        mean: value(p.mean),
        value: value(p.value),
      });
    case 'average':
      return t('results.ruleText.average', {
        component: componentName,
        units: str(p.units),
        points: points(p.points),
      });
    case 'rank_change':
      // The engine gives both kinds the same params; its sentence says which one it is.
      return t(
        /largest decline/iu.test(rule.detail)
          ? 'results.ruleText.largestDecline'
          : /two runs running/iu.test(rule.detail)
            ? 'results.ruleText.declinedTwice'
            : 'results.ruleText.rankChange',
        {
          previous: str(p.previousRank),
          rank: str(p.rank),
          n: str(p.decline),
        },
      );
  }
}

/**
 * Where a leaf's figure comes from, for the public: the document and the day it was entered, the unit
 * that scored it, or the counts behind a rate. The engine's line is English for clerks; null when it
 * says nothing a citizen needs beyond the sample already shown.
 */
export function provenanceWords(t: TFunction, provenance: string | null | undefined): string | null {
  if (!provenance) return null;
  const parts: string[] = [];
  const scorer = /scored by (.+?);/u.exec(provenance);
  if (scorer?.[1]) parts.push(t('results.provenance.scorer', { scorer: scorer[1] }));
  const doc = /《([^》]*)》(?: on (\d{4}-\d{2}-\d{2}))?/u.exec(provenance);
  if (doc?.[1] !== undefined) {
    parts.push(
      doc[2]
        ? t('results.provenance.document', { document: doc[1], date: doc[2] })
        : t('results.provenance.documentOnly', { document: doc[1] }),
    );
  }
  // A statistic of ratings or cases: the span it counts (the counts go beside the value, see countsOf).
  const span = /\([^()]*?(\d{4}-\d{2}-\d{2})…(\d{4}-\d{2}-\d{2})\)/u.exec(provenance);
  if (span) parts.push(t('results.provenance.span', { from: span[1], to: span[2] }));
  return parts.length > 0 ? parts.join(t('results.semicolon')) : null;
}

/** The counts behind a rate ("好评率 930/1000 (…)" → 930 of 1000), to write beside it. */
export function countsOf(provenance: string | null | undefined): { num: number; den: number } | null {
  const m = /(\d+)\/(\d+) \(/u.exec(provenance ?? '');
  return m ? { num: Number(m[1]), den: Number(m[2]) } : null;
}
