import { DownloadOutlined, PlusOutlined, TagsOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Input,
  Space,
  Spin,
  Switch,
  Tag,
  Tooltip,
  Tree,
  type GetRef,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { useUnits } from '../../queries';
import { useAccount } from '../../session';
import type { Unit } from '../../types';
import {
  ancestorsOf,
  buildUnitTree,
  chinaToday,
  fromDay,
  searchUnits,
  toDay,
  type UnitNode,
} from '../../util';
import { CategoriesModal } from './CategoriesModal';
import { CreateUnitModal } from './CreateUnitModal';
import { KIND_COLORS } from './kinds';
import { RegistryOverview } from './RegistryOverview';
import { UnitDetailPanel } from './UnitDetailPanel';

interface TreeItem {
  key: string;
  title: React.ReactNode;
  children: TreeItem[];
}

function Highlight({ text, needle }: { text: string; needle: string }) {
  if (!needle) return <>{text}</>;
  const at = text.toLowerCase().indexOf(needle);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="mp-match">{text.slice(at, at + needle.length)}</mark>
      {text.slice(at + needle.length)}
    </>
  );
}

/** The registry: the unit tree on the left, the chosen unit on the right. */
export function UnitsPage() {
  const { t } = useTranslation();
  const { can, scoped, account } = useAccount();
  const navigate = useNavigate();
  const { unitId } = useParams();
  const [search, setSearch] = useState('');
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [creating, setCreating] = useState<{ parentId: string | null } | null>(null);
  const [categoriesOpen, setCategoriesOpen] = useState(false);
  const units = useUnits({ asOf, includeInactive });
  const list = useMemo(() => units.data ?? [], [units.data]);
  const needle = search.normalize('NFKC').trim().toLowerCase();
  const found = useMemo(() => searchUnits(list, search), [list, search]);
  const shown = useMemo(() => (found ? list.filter((u) => found.keep.has(u.id)) : list), [list, found]);
  const forest = useMemo(() => buildUnitTree(shown), [shown]);
  const canWrite = can('registry:write');
  const treeRef = useRef<GetRef<typeof Tree>>(null);

  // Unit staff work on one unit: open it straight away.
  useEffect(() => {
    if (!unitId && scoped && account.unitId) void navigate(`/units/${account.unitId}`, { replace: true });
  }, [unitId, scoped, account.unitId, navigate]);

  // Open the first two levels at first, and the way down to a unit opened by link.
  useEffect(() => {
    if (expanded !== null || list.length === 0) return;
    const top = buildUnitTree(list);
    const open = new Set<string>();
    for (const root of top) {
      open.add(root.key);
      if (list.length <= 400)
        for (const child of root.children) if (child.children.length) open.add(child.key);
    }
    if (unitId) for (const id of ancestorsOf(list, unitId)) open.add(id);
    setExpanded([...open]);
  }, [list, expanded, unitId]);

  // While searching, every match's ancestors are open.
  const expandedKeys = useMemo(() => {
    if (found) return [...found.keep];
    return expanded ?? [];
  }, [found, expanded]);

  const treeData = useMemo(() => {
    const convert = (node: UnitNode): TreeItem => {
      const u: Unit = node.unit;
      return {
        key: u.id,
        title: (
          <span className="mp-tree-title" title={u.name}>
            <span className={u.active ? undefined : 'mp-inactive'}>
              <Highlight text={u.name} needle={found?.matches.has(u.id) ? needle : ''} />
            </span>
            <Tag color={u.active ? KIND_COLORS[u.kind] : undefined}>{t(`kinds.${u.kind}`)}</Tag>
            {!u.active && <Tag>{t('units.closed')}</Tag>}
          </span>
        ),
        children: node.children.map(convert),
      };
    };
    return forest.map(convert);
  }, [forest, found, needle, t]);

  // A unit chosen by link, breadcrumb or creation: open the way down to it, then bring it into view
  // once (the tree only draws the rows that fit in its window).
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!unitId || found || list.length === 0) return;
    const missing = ancestorsOf(list, unitId).filter((id) => !expanded?.includes(id));
    if (missing.length > 0) setExpanded((keys) => [...new Set([...(keys ?? []), ...missing])]);
  }, [unitId, list, found, expanded]);
  useEffect(() => {
    if (!unitId || scrolledTo.current === unitId) return;
    // Only once the unit is drawn: loaded, and every ancestor open.
    if (!shown.some((u) => u.id === unitId)) return;
    if (!ancestorsOf(shown, unitId).every((id) => expandedKeys.includes(id))) return;
    const timer = window.setTimeout(() => {
      if (!treeRef.current) return;
      treeRef.current.scrollTo({ key: unitId, align: 'auto' });
      scrolledTo.current = unitId;
    }, 80);
    return () => window.clearTimeout(timer);
  }, [unitId, treeData, expandedKeys, shown]);

  const select = (id: string) => void navigate(`/units/${id}`);

  const treeHeight = Math.max(320, window.innerHeight - 300);

  return (
    <>
      <PageTitle
        title={t('units.title')}
        description={t('units.description')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} href={api.exportUrl} download>
              {t('units.export')}
            </Button>
            <Button icon={<TagsOutlined />} onClick={() => setCategoriesOpen(true)}>
              {t('categories.manage')}
            </Button>
            {canWrite && !scoped && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({ parentId: null })}>
                {t('units.createRoot')}
              </Button>
            )}
          </Space>
        }
      />
      <div className="mp-units">
        <Card className="mp-units-tree" size="small" styles={{ body: { padding: 12 } }}>
          <Space orientation="vertical" style={{ width: '100%' }} size={8}>
            <Input.Search
              allowClear
              placeholder={t('units.searchPlaceholder')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              aria-label={t('units.search')}
            />
            <Space wrap size={8} style={{ justifyContent: 'space-between', width: '100%' }}>
              <Tooltip title={t('units.asOfHint')}>
                <DatePicker
                  size="small"
                  value={toDay(asOf)}
                  onChange={(d) => setAsOf(fromDay(d))}
                  placeholder={t('units.asOfPlaceholder', { today: chinaToday() })}
                  style={{ width: 170 }}
                  aria-label={t('units.asOf')}
                />
              </Tooltip>
              <Space size={4}>
                <Switch
                  size="small"
                  checked={includeInactive}
                  onChange={setIncludeInactive}
                  id="show-closed"
                />
                <label htmlFor="show-closed" style={{ fontSize: 13 }}>
                  {t('units.showClosed')}
                </label>
              </Space>
            </Space>
            {asOf && asOf !== chinaToday() && (
              <Alert
                type="info"
                showIcon
                title={t('units.asOfBanner', { date: asOf })}
                style={{ padding: '4px 8px' }}
              />
            )}
            {units.isPending ? (
              <div style={{ textAlign: 'center', padding: 32 }}>
                <Spin />
              </div>
            ) : units.isError ? (
              <Alert type="error" showIcon title={errorText(units.error)} />
            ) : treeData.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={found ? t('units.noMatch', { q: search.trim() }) : t('units.emptyTree')}
              />
            ) : (
              <>
                {found && (
                  <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>
                    {t('units.matchCount', { count: found.matches.size })}
                  </div>
                )}
                <Tree
                  ref={treeRef}
                  blockNode
                  showLine={{ showLeafIcon: false }}
                  height={treeHeight}
                  treeData={treeData}
                  expandedKeys={expandedKeys}
                  onExpand={(keys) => {
                    if (!found) setExpanded(keys.map(String));
                  }}
                  selectedKeys={unitId ? [unitId] : []}
                  onSelect={(keys) => {
                    const key = keys[0];
                    if (key !== undefined) select(String(key));
                  }}
                />
              </>
            )}
          </Space>
        </Card>
        <div className="mp-units-detail">
          {unitId ? (
            <UnitDetailPanel
              key={unitId}
              unitId={unitId}
              onCreateChild={(parentId) => setCreating({ parentId })}
            />
          ) : (
            <RegistryOverview
              units={list}
              asOf={asOf ?? chinaToday()}
              emptyText={canWrite && !scoped ? t('units.pickEmptyRegistry') : t('units.emptyTree')}
            />
          )}
        </div>
      </div>
      {creating && (
        <CreateUnitModal
          parentId={creating.parentId}
          onClose={() => setCreating(null)}
          onCreated={(unit) => {
            setCreating(null);
            // Show the new unit where it now sits, even if the search would have hidden it.
            setSearch('');
            const parents = unit.parentId ? [unit.parentId, ...ancestorsOf(list, unit.parentId)] : [];
            setExpanded((keys) => [...new Set([...(keys ?? []), ...parents])]);
            select(unit.id);
          }}
        />
      )}
      <CategoriesModal open={categoriesOpen} onClose={() => setCategoriesOpen(false)} />
    </>
  );
}
