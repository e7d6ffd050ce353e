import { Conflict } from '../core/errors.js';
import { leafComponents } from './model.js';
import type { PublicResultKind, RankingInput, ReviewLists, RunWarning, SchemeDefinition } from './types.js';

/*
 * Conditions that make a result misleading although every rule was followed: a source leaf without
 * values (the units get the missing rule's points, often 0), a period that has not ended, a list that
 * shows main problems with none written, a list shorter or longer than its stage keeps. Computing,
 * approving and publishing refuse while any applies, unless the request names it as accepted: the
 * console shows each one and asks the clerk to confirm. Pure rules; the service gathers the facts.
 */

/** How many unit names a warning lists before "…". */
const NAMES_SHOWN = 5;

const nameList = (names: readonly string[]): string =>
  names.length <= NAMES_SHOWN ? names.join('、') : `${names.slice(0, NAMES_SHOWN).join('、')}…`;

/** Each leaf with a source that has no value for some or all of the group's units. */
export function sourceWarnings(input: Pick<RankingInput, 'scheme' | 'units' | 'values'>): RunWarning[] {
  const out: RunWarning[] = [];
  const total = input.units.length;
  for (const leaf of leafComponents(input.scheme)) {
    if (!leaf.source) continue;
    const values = input.values[leaf.id] ?? {};
    const without = input.units.filter((u) => values[u.id] === undefined);
    if (without.length === 0) continue;
    const rule = leaf.missing === 'average' ? 'average' : 'zero';
    const all = without.length === total;
    out.push({
      code: all ? 'source_without_values' : 'source_partly_without_values',
      message: all
        ? `No unit of the group has a value for “${leaf.name}”: all ${total} receive the missing rule (${rule}) instead of a score.`
        : `${without.length} of ${total} units have no value for “${leaf.name}” (${nameList(without.map((u) => u.name))}); they receive the missing rule (${rule}).`,
      params: {
        leafId: leaf.id,
        leafName: leaf.name,
        missing: without.length,
        total,
        missingRule: rule,
        units: nameList(without.map((u) => u.name)),
      },
    });
  }
  return out;
}

/** The period's last day is today or later: its records are not complete yet. */
export function periodWarnings(period: { name: string; endDate: string }, today: string): RunWarning[] {
  if (today > period.endDate) return [];
  return [
    {
      code: 'period_not_ended',
      message: `The period ${period.name} ends on ${period.endDate}; its records are not complete before then.`,
      params: { periodName: period.name, endDate: period.endDate, today },
    },
  ];
}

/** Each list (of those the scheme has) whose size differs from what the stage keeps. */
export function listSizeWarnings(
  definition: SchemeDefinition,
  stageIndex: number,
  lists: ReviewLists,
): RunWarning[] {
  const stage = definition.review.stages[stageIndex];
  if (!stage) return [];
  const out: RunWarning[] = [];
  for (const list of ['best', 'worst'] as const) {
    if (definition.lists[list] === 0) continue;
    const count = lists[list].length;
    if (count === stage.size) continue;
    out.push({
      code: 'list_size_differs',
      message: `The ${list} list holds ${count} units; the stage ${stage.name} keeps ${stage.size}.`,
      params: { list, count, size: stage.size, stageName: stage.name },
    });
  }
  return out;
}

/**
 * Units on a list that shows main problems (the worst list of a worst-only result, which prints
 * “未列出主要问题” for a unit without; a worst list where some units have them) with none written.
 */
export function problemWarnings(
  kind: PublicResultKind,
  worst: readonly { id: string; name: string }[],
  problems: ReadonlyMap<string, string>,
): RunWarning[] {
  const written = (id: string) => (problems.get(id) ?? '').trim() !== '';
  const shows = kind === 'worst_only' || (kind === 'best_worst' && worst.some((u) => written(u.id)));
  if (!shows) return [];
  const without = worst.filter((u) => !written(u.id));
  if (without.length === 0) return [];
  return [
    {
      code: 'problems_missing',
      message: `${without.length} of ${worst.length} units on the worst list have no main problems written (${nameList(without.map((u) => u.name))}); the public page would say none were listed.`,
      params: { missing: without.length, total: worst.length, units: nameList(without.map((u) => u.name)) },
    },
  ];
}

/** Refuses (409 warnings_not_accepted) while a warning applies whose code the request did not accept. */
export function refuseUnaccepted(warnings: readonly RunWarning[], accepted: readonly string[]): void {
  const open = warnings.filter((w) => !accepted.includes(w.code));
  if (open.length === 0) return;
  const codes = [...new Set(open.map((w) => w.code))];
  throw new Conflict(
    'warnings_not_accepted',
    `Confirm first: ${open.map((w) => w.message).join(' ')} Send acceptWarnings with ${codes.join(', ')} to go ahead.`,
    { codes: codes.join(','), count: open.length },
  );
}
