import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseState } from './api';

const STATE_COLORS: Record<CaseState, string> = {
  verifying: 'orange',
  appealed: 'purple',
  rectifying: 'blue',
  awaiting_judgement: 'cyan',
  closed: 'green',
  dismissed: 'default',
};

const ESCALATION_COLORS = ['default', 'gold', 'volcano', 'magenta'];

/** The unit holds the case: its deadline runs and warnings may follow. */
export function unitHolds(state: CaseState): boolean {
  return state === 'verifying' || state === 'rectifying';
}

export function StateTag({ state }: { state: CaseState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }} data-testid="case-state">
      {t(`caseStates.${state}`)}
    </Tag>
  );
}

/** 预警单 / 紧急预警单 / 约谈, or a quiet dash when none was issued. */
export function EscalationTag({ level }: { level: number }) {
  const { t } = useTranslation();
  if (level <= 0) return <span style={{ color: 'rgba(0,0,0,0.25)' }}>—</span>;
  return (
    <Tag color={ESCALATION_COLORS[level] ?? 'red'} style={{ marginInlineEnd: 0 }}>
      {t(`escalations.${level}`)}
    </Tag>
  );
}
