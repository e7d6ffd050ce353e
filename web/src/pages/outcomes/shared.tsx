import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ConsequenceBasis, ConsequenceStatus, Proposal } from './api';

/** "下调考核奖金 5%", "3 个月内不得提拔重用", "按实际得分兑现奖金（90 分）" … */
export function consequenceText(
  t: TFunction,
  p: Pick<Proposal, 'kind' | 'percent' | 'months' | 'basis'>,
): string {
  if (p.kind === 'bonus_cut' && p.percent !== null) return t('outcomes.kind.bonus_cut_n', { n: p.percent });
  if (p.kind === 'no_promotion' && p.months !== null)
    return t('outcomes.kind.no_promotion_n', { n: p.months });
  if (p.kind === 'bonus_by_actual_score' && p.basis.bonusScore !== null) {
    return t('outcomes.kind.bonus_by_actual_score_n', { n: p.basis.bonusScore });
  }
  return t(`outcomes.kind.${p.kind}`);
}

/** Why a rule fired: the flag, the list place or the grade, with rank and change. */
export function TriggerText({ basis }: { basis: ConsequenceBasis }) {
  const { t } = useTranslation();
  const trigger = basis.trigger;
  const why =
    trigger.kind === 'flag'
      ? t(`outcomes.trigger.${trigger.flag}`)
      : trigger.kind === 'list'
        ? t(`outcomes.trigger.${trigger.list}List`, { n: basis.listPosition ?? '' })
        : t('outcomes.trigger.grade', { grade: basis.grade ?? trigger.grade });
  const change =
    basis.rankChange !== null && basis.previousRank !== null
      ? t('outcomes.rankFrom', { previous: basis.previousRank, rank: basis.rank })
      : t('outcomes.rankIs', { rank: basis.rank });
  return (
    <span>
      {why}；{change}，{t('outcomes.totalIs', { total: basis.total })}
    </span>
  );
}

export function ConsequenceStatusTag({ status, open }: { status: ConsequenceStatus; open: boolean }) {
  const { t } = useTranslation();
  const color =
    status === 'confirmed' ? (open ? 'orange' : 'green') : status === 'revoked' ? 'purple' : 'default';
  return (
    <Tag color={color}>
      {t(`outcomes.status.${status}`)}
      {status === 'confirmed' && open ? ` · ${t('outcomes.open')}` : ''}
    </Tag>
  );
}
