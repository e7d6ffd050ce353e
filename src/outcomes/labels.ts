import type { ConsequenceKind, ConsequenceStatus, ConsequenceTarget } from './types.js';

/* Chinese names of the kinds, targets, statuses and flags, for documents the server writes (.xlsx, .docx). */

export const KIND_NAMES: Record<ConsequenceKind, string> = {
  bonus_cut: '下调考核奖金',
  bonus_withheld: '扣发考核奖金',
  bonus_by_actual_score: '按实际得分兑现奖金',
  no_promotion: '不得提拔重用',
  not_excellent: '不得评为优秀等次',
  talk: '约谈提醒',
  public_commitment: '公开整改承诺',
  reward: '表扬奖励',
};

export const TARGET_NAMES: Record<ConsequenceTarget, string> = {
  unit: '单位',
  principal: '主要负责人',
  deputy: '分管领导',
  middle_managers: '中层干部',
};

export const STATUS_NAMES: Record<ConsequenceStatus, string> = {
  confirmed: '已确认',
  rejected: '未采纳',
  revoked: '申诉撤销',
};

export const FLAG_NAMES: Record<string, string> = {
  vetoed: '一票否决',
  promoted: '例外晋级',
  small_sample: '样本不足',
  indistinct: '与相邻名次无明显差别',
  largest_decline: '降幅最大',
  declined_two_running: '连续两期下降',
};

/** "下调考核奖金5%", "不得提拔重用（3个月）", "按实际得分兑现奖金（90）" … */
export function consequenceLabel(c: {
  kind: ConsequenceKind;
  percent: number | null;
  months: number | null;
  basis: { bonusScore: number | null };
}): string {
  const name = KIND_NAMES[c.kind];
  if (c.kind === 'bonus_cut' && c.percent !== null) return `${name}${c.percent}%`;
  if (c.kind === 'no_promotion' && c.months !== null) return `${c.months}个月内${name}`;
  if (c.kind === 'bonus_by_actual_score' && c.basis.bonusScore !== null)
    return `${name}（${c.basis.bonusScore}分）`;
  return name;
}
