import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ItemState } from './api';

/* Small pieces the ledger pages share. */

const STATE_COLORS: Record<ItemState, string> = {
  planning: 'orange',
  plan_review: 'blue',
  executing: 'gold',
  progress_review: 'blue',
  finishing: 'cyan',
  result_review: 'blue',
  closed: 'green',
};

/** The states in which the responsible unit holds the item (and a deadline runs). */
export function unitHolds(state: ItemState): boolean {
  return state === 'planning' || state === 'executing' || state === 'finishing';
}

export function ItemStateTag({ state }: { state: ItemState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }} data-testid="item-state">
      {t(`ledger.states.${state}`)}
    </Tag>
  );
}
