import type { useTranslation } from 'react-i18next';
import { CHECKLIST, CHECKLIST_INDICATORS, type ChecklistIndicator } from '../../../../src/campaigns/types';
import type { Answer, QuestionItem, SubjectAnswers } from '../types';

type TFunction = ReturnType<typeof useTranslation>['t'];

/*
 * The evaluator's answers as the phone page keeps them, and the words a person reads for an answer. The
 * scales' names come from the public catalogue (both languages); prompts and options are the office's
 * text, shown as written.
 */

/** Whether an item must be answered (free text never must): the server's rule (model.isRequired). */
export const isRequired = (item: QuestionItem): boolean => item.kind !== 'text' && item.required !== false;

/** Whether one item has an answer good enough to submit. */
export function answered(item: QuestionItem, answer: Answer | undefined): boolean {
  if (answer === undefined) return false;
  if (item.kind === 'dimensions') {
    const given = answer as Record<string, string>;
    return item.dimensions.every((d) => given[d.key] !== undefined);
  }
  if (item.kind === 'text') return typeof answer === 'string' && answer.trim() !== '';
  return true;
}

export type Progress = 'empty' | 'partial' | 'done';

/** How far one subject is: nothing yet, started, or every required item answered. */
export function progressOf(items: readonly QuestionItem[], answers: SubjectAnswers | undefined): Progress {
  if (!answers || Object.keys(answers).length === 0) return 'empty';
  return items.every((i) => !isRequired(i) || answered(i, answers[i.key])) ? 'done' : 'partial';
}

/** The manifestation's words: `cold.0` → 态度冷漠、脸难看 (Chinese) or its English. */
export function manifestationLabel(key: string, t: TFunction): string {
  const [indicator, n] = key.split('.') as [ChecklistIndicator, string];
  const zh = CHECKLIST[indicator]?.manifestations[Number(n)] ?? key;
  return t(`ballot.signs.${indicator}_${n}`, { defaultValue: zh });
}

export const indicatorLabel = (indicator: ChecklistIndicator, t: TFunction): string =>
  t(`ballot.indicators.${indicator}`, { defaultValue: CHECKLIST[indicator].label });

/** An answer in words, for the receipt check. */
export function answerText(item: QuestionItem, answer: Answer | undefined, t: TFunction): string {
  if (answer === undefined) return '—';
  const word = typeof answer === 'string' ? answer : '';
  switch (item.kind) {
    case 'satisfaction':
      return t(`ballot.satisfaction.${word}`);
    case 'difficulty':
      return t(`ballot.difficulty.${word}`);
    case 'yes_no':
      return answer === true ? t('ballot.yes') : t('ballot.no');
    case 'checklist': {
      const ticked = answer as string[];
      return ticked.length === 0
        ? t('ballot.noneOfThese')
        : ticked.map((k) => manifestationLabel(k, t)).join(t('ballot.listSeparator'));
    }
    case 'choice': {
      const keys = Array.isArray(answer) ? answer : [word];
      return keys
        .map((k) => item.options.find((o) => o.key === k)?.label ?? k)
        .join(t('ballot.listSeparator'));
    }
    case 'dimensions': {
      const given = answer as Record<string, string>;
      return item.dimensions
        .map((d) => `${d.name} ${given[d.key] ? t(`ballot.satisfaction.${given[d.key]}`) : '—'}`)
        .join(t('ballot.listSeparator'));
    }
    case 'text':
      return word;
  }
}

export { CHECKLIST, CHECKLIST_INDICATORS };
