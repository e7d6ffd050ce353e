import { Tag, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../types';
import { buildUnitTree, type UnitNode } from '../util';

interface TreeOption {
  value: string;
  label: string;
  title: React.ReactNode;
  search: string;
  disabled?: boolean;
  children: TreeOption[];
}

/** A unit picker shaped like the registry tree; search matches name, short name or code. */
export function UnitTreeSelect({
  units,
  value,
  onChange,
  disabledIds,
  allowClear = true,
  placeholder,
  id,
  style,
  disabled,
  fallbackLabel,
}: {
  units: readonly Unit[];
  value?: string | null | undefined;
  onChange?: (value: string | null) => void;
  disabledIds?: ReadonlySet<string>;
  allowClear?: boolean;
  placeholder?: string;
  id?: string;
  style?: React.CSSProperties;
  disabled?: boolean;
  /** The name to show when the value is a unit outside the list (e.g. above a unit staff's scope). */
  fallbackLabel?: string;
}) {
  const { t } = useTranslation();
  const treeData = useMemo(() => {
    const convert = (node: UnitNode): TreeOption => ({
      value: node.unit.id,
      label: node.unit.name,
      search: `${node.unit.name} ${node.unit.shortName} ${node.unit.code}`.toLowerCase(),
      title: (
        <span className={node.unit.active ? undefined : 'mp-inactive'}>
          <span>{node.unit.name}</span>{' '}
          <Tag style={{ fontSize: 11, lineHeight: '16px', padding: '0 4px' }}>
            {t(`kinds.${node.unit.kind}`)}
          </Tag>
        </span>
      ),
      ...(disabledIds?.has(node.unit.id) ? { disabled: true } : {}),
      children: node.children.map(convert),
    });
    const options = buildUnitTree(units).map(convert);
    if (value && fallbackLabel && !units.some((u) => u.id === value)) {
      options.unshift({
        value,
        label: fallbackLabel,
        title: fallbackLabel,
        search: fallbackLabel.toLowerCase(),
        disabled: true,
        children: [],
      });
    }
    return options;
  }, [units, disabledIds, t, value, fallbackLabel]);

  return (
    <TreeSelect<string>
      id={id}
      style={{ width: '100%', ...style }}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      treeData={treeData}
      treeNodeLabelProp="label"
      showSearch={{
        filterTreeNode: (input, node) => (node as unknown as TreeOption).search.includes(input.toLowerCase()),
      }}
      allowClear={allowClear}
      disabled={disabled}
      placeholder={placeholder ?? t('units.pickUnit')}
      treeDefaultExpandAll={units.length <= 60}
      listHeight={360}
    />
  );
}
