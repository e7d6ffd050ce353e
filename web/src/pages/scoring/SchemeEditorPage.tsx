import { EditOutlined, HistoryOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import {
  scoringApi,
  scoringKeys,
  type SchemeDefinition,
  type SchemeProblem,
  type SchemeVersionInfo,
} from './api';
import { ComponentTree, NodeForm, ProblemSummary } from './ComponentEditor';
import { CalculationForm, GroupsForm, ReviewForm, RulesForm } from './DefinitionForms';
import { useScoringAccess } from './menu';
import './scoring.css';
import {
  addChild,
  blankDefinition,
  findNode,
  freshId,
  mapNode,
  moveNode,
  pathTo,
  removeNode,
  renameId,
} from './tree';

const CHECK_DELAY_MS = 400;
/** As the server's scheme check allows (src/scoring/model.ts ISSUER_MAX_LENGTH). */
const ISSUER_MAX_LENGTH = 40;

/** The live check: POST /api/schemes/check a moment after the clerk stops typing. */
function useLiveCheck(definition: SchemeDefinition | null) {
  const [problems, setProblems] = useState<SchemeProblem[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sequence = useRef(0);
  useEffect(() => {
    if (!definition) return;
    const ticket = ++sequence.current;
    setChecking(true);
    const timer = window.setTimeout(() => {
      scoringApi
        .check(definition)
        .then((result) => {
          if (ticket !== sequence.current) return;
          setProblems(result.problems);
          setError(null);
        })
        .catch((e: unknown) => {
          if (ticket === sequence.current) setError(errorText(e));
        })
        .finally(() => {
          if (ticket === sequence.current) setChecking(false);
        });
    }, CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [definition]);
  return { problems, checking, error };
}

/** 考核方案编辑: a new scheme, the latest version to edit, or an old version read-only. */
export function SchemeEditorPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const { schemeId, version } = useParams();
  const [search] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const templateKey = search.get('template');
  const isNew = !schemeId;
  const viewedVersion = version ? Number(version) : null;
  const restored = (location.state as { definition?: SchemeDefinition; fromVersion?: number } | null) ?? null;

  const detail = useQuery({
    queryKey: scoringKeys.scheme(schemeId ?? ''),
    queryFn: () => scoringApi.scheme(schemeId ?? ''),
    enabled: Boolean(schemeId) && access.read,
  });
  const old = useQuery({
    queryKey: scoringKeys.schemeVersion(schemeId ?? '', viewedVersion ?? 0),
    queryFn: () => scoringApi.schemeVersion(schemeId ?? '', viewedVersion ?? 0),
    enabled: Boolean(schemeId) && viewedVersion !== null && access.read,
  });
  const templates = useQuery({
    queryKey: scoringKeys.templates,
    queryFn: scoringApi.templates,
    enabled: isNew && Boolean(templateKey) && access.manage,
    staleTime: 300_000,
  });

  const readOnly = !access.manage || viewedVersion !== null;
  const template = templates.data?.find((tpl) => tpl.key === templateKey) ?? null;

  // The definition the page starts from; the draft is what the clerk has made of it.
  const base: SchemeDefinition | null = useMemo(() => {
    if (isNew) {
      if (!templateKey) return blankDefinition(t('scoring.editor.rootDefault'));
      return template ? template.definition : null;
    }
    if (viewedVersion !== null) return old.data?.definition ?? null;
    return detail.data?.definition ?? null;
  }, [isNew, templateKey, template, viewedVersion, old.data, detail.data, t]);
  const baseKey = `${schemeId ?? 'new'}:${viewedVersion ?? 'latest'}:${templateKey ?? ''}:${base ? 'loaded' : 'pending'}:${restored?.fromVersion ?? ''}`;
  const [draft, setDraft] = useState<SchemeDefinition | null>(null);
  const [draftKey, setDraftKey] = useState('');
  const [selected, setSelected] = useState('');
  if (base && draftKey !== baseKey) {
    setDraftKey(baseKey);
    setDraft(restored?.definition && viewedVersion === null ? restored.definition : base);
    setSelected(base.root.id);
  }

  const [info, setInfo] = useState({ code: '', name: '', description: '' });
  const [infoKey, setInfoKey] = useState('');
  if (isNew && template && infoKey !== template.key) {
    setInfoKey(template.key);
    setInfo({ code: '', name: template.name, description: template.description });
  }

  const live = useLiveCheck(readOnly ? null : draft);
  const [saving, setSaving] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [tab, setTab] = useState('components');

  const problemsByNode = useMemo(() => {
    const out = new Map<string, SchemeProblem[]>();
    for (const p of live.problems ?? []) {
      if (!p.component) continue;
      out.set(p.component, [...(out.get(p.component) ?? []), p]);
    }
    return out;
  }, [live.problems]);

  if (!access.read) return <NoPermission />;
  if (isNew && !access.manage) return <NoPermission />;
  const loadError = detail.error ?? old.error ?? templates.error;
  if (loadError)
    return (
      <Result
        status="warning"
        title={errorText(loadError)}
        extra={<Link to="/schemes">{t('scoring.editor.back')}</Link>}
      />
    );
  if (isNew && templateKey && templates.data && !template)
    return (
      <Result
        status="404"
        title={t('scoring.editor.noTemplate')}
        extra={<Link to="/schemes">{t('scoring.editor.back')}</Link>}
      />
    );
  if (!draft) return <Spin style={{ display: 'block', padding: 48 }} />;

  const dirty = base !== null && JSON.stringify(base) !== JSON.stringify(draft);
  const node = findNode(draft.root, selected) ?? draft.root;
  const isRoot = node.id === draft.root.id;
  const problemCount = live.problems?.length ?? 0;
  const setRoot = (root: SchemeDefinition['root']) => setDraft({ ...draft, root });
  const select = (id: string) => {
    setSelected(id);
    setTab('components');
  };

  const save = async (note: string) => {
    setSaving(true);
    try {
      const saved = isNew
        ? await scoringApi.createScheme({
            code: info.code.trim(),
            name: info.name.trim(),
            description: info.description.trim(),
            definition: draft,
            ...(note.trim() ? { note: note.trim() } : {}),
          })
        : await scoringApi.saveVersion(schemeId, draft, note.trim());
      client.setQueryData(scoringKeys.scheme(saved.id), saved);
      await client.invalidateQueries({ queryKey: scoringKeys.schemes });
      setSaveOpen(false);
      void message.success(t('scoring.editor.saved', { n: saved.latestVersion }));
      setDraftKey('');
      if (isNew) void navigate(`/schemes/${saved.id}`, { replace: true });
      else void navigate(`/schemes/${saved.id}`, { replace: true, state: null });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_scheme' && typeof e.params.component === 'string') {
        if (findNode(draft.root, e.params.component)) select(e.params.component);
      }
      void message.error(errorText(e), 6);
    } finally {
      setSaving(false);
    }
  };

  const title = isNew
    ? t('scoring.editor.newTitle')
    : `${detail.data?.name ?? ''}${viewedVersion !== null ? ` · ${t('scoring.versionN', { n: viewedVersion })}` : ''}`;
  const latest = detail.data?.latestVersion;

  return (
    <>
      <PageTitle
        title={
          <Space>
            {title}
            {!isNew && latest !== undefined && viewedVersion === null && (
              <Tag color="blue">
                {access.manage
                  ? t('scoring.editor.editingFrom', { n: latest })
                  : `${t('scoring.versionN', { n: latest })}（${t('scoring.editor.latest')}）`}
              </Tag>
            )}
            {dirty && !readOnly && <Tag color="orange">{t('scoring.editor.unsaved')}</Tag>}
          </Space>
        }
        description={isNew ? t('scoring.editor.newDescription') : detail.data?.description}
        extra={
          <Space>
            <Link to="/schemes">{t('scoring.editor.back')}</Link>
            {!isNew && (
              <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)}>
                {t('scoring.editor.history', { n: detail.data?.versions.length ?? 0 })}
              </Button>
            )}
            {viewedVersion !== null && access.manage && (
              <Button
                icon={<RollbackOutlined />}
                onClick={() =>
                  void navigate(`/schemes/${schemeId}`, {
                    state: { definition: draft, fromVersion: viewedVersion },
                  })
                }
              >
                {t('scoring.editor.editFromThis')}
              </Button>
            )}
            {!readOnly && (
              <Tooltip title={problemCount > 0 ? t('scoring.editor.fixFirst') : undefined}>
                <Button
                  type="primary"
                  icon={<SaveOutlined />}
                  disabled={problemCount > 0 || live.problems === null || (!isNew && !dirty)}
                  onClick={() => setSaveOpen(true)}
                >
                  {isNew ? t('scoring.editor.saveNew') : t('scoring.editor.saveVersion')}
                </Button>
              </Tooltip>
            )}
          </Space>
        }
      />
      {viewedVersion !== null && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('scoring.editor.oldVersionBanner', { n: viewedVersion, latest: latest ?? '' })}
          description={
            old.data
              ? `${old.data.note || t('scoring.editor.noNote')} · ${old.data.createdBy} · ${formatTime(old.data.createdAt)}`
              : undefined
          }
        />
      )}
      {viewedVersion === null && !access.manage && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('scoring.readOnlyBanner')} />
      )}
      {restored?.fromVersion !== undefined && viewedVersion === null && !isNew && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('scoring.editor.restoredBanner', { n: restored.fromVersion })}
        />
      )}
      <Card size="small" title={t('scoring.editor.basicTitle')} style={{ marginBottom: 12 }}>
        <Form layout="vertical" component="div">
          {isNew && (
            <Row gutter={12}>
              <Col span={6}>
                <Form.Item
                  label={t('scoring.schemes.code')}
                  htmlFor="sc-scheme-code"
                  required
                  help={t('scoring.editor.codeHelp')}
                >
                  <Input
                    id="sc-scheme-code"
                    value={info.code}
                    maxLength={40}
                    onChange={(e) => setInfo({ ...info, code: e.target.value })}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item label={t('scoring.schemes.name')} htmlFor="sc-scheme-name" required>
                  <Input
                    id="sc-scheme-name"
                    value={info.name}
                    maxLength={80}
                    onChange={(e) => setInfo({ ...info, name: e.target.value })}
                  />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item label={t('scoring.schemes.descriptionField')} htmlFor="sc-scheme-description">
                  <Input
                    id="sc-scheme-description"
                    value={info.description}
                    maxLength={400}
                    onChange={(e) => setInfo({ ...info, description: e.target.value })}
                  />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Row gutter={12}>
            <Col span={14}>
              <Form.Item
                label={t('scoring.editor.issuer')}
                htmlFor="sc-scheme-issuer"
                help={t('scoring.editor.issuerHelp')}
              >
                <Input
                  id="sc-scheme-issuer"
                  value={draft.issuer ?? ''}
                  maxLength={ISSUER_MAX_LENGTH}
                  disabled={readOnly}
                  placeholder={t('scoring.editor.issuerPlaceholder')}
                  onChange={(e) => {
                    // Empty: the scheme names no issuer (the notice then says 考核办公室).
                    const { issuer: _issuer, ...rest } = draft;
                    setDraft(e.target.value === '' ? rest : { ...draft, issuer: e.target.value });
                  }}
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {!readOnly && (
        <div style={{ marginBottom: 12 }}>
          <ProblemSummary
            problems={live.problems}
            root={draft.root}
            checking={live.checking}
            checkError={live.error}
            onSelect={select}
          />
        </div>
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'components',
            label: (
              <Badge count={problemsByNode.size} size="small" offset={[8, 0]}>
                {t('scoring.editor.tabComponents')}
              </Badge>
            ),
            children: (
              <Row gutter={16}>
                <Col span={10}>
                  <Card
                    size="small"
                    title={t('scoring.editor.treeTitle')}
                    extra={
                      <span className="mp-sc-secondary">
                        {readOnly ? t('scoring.editor.treeHintRead') : t('scoring.editor.treeHint')}
                      </span>
                    }
                  >
                    <ComponentTree
                      root={draft.root}
                      selected={node.id}
                      onSelect={setSelected}
                      problems={problemsByNode}
                    />
                  </Card>
                </Col>
                <Col span={14}>
                  <NodeForm
                    node={node}
                    isRoot={isRoot}
                    readOnly={readOnly}
                    root={draft.root}
                    problems={problemsByNode.get(node.id) ?? []}
                    onChange={(next) => setRoot(mapNode(draft.root, node.id, () => next))}
                    onRenameId={(id) => {
                      if (!id || (id !== node.id && findNode(draft.root, id))) return;
                      setDraft(renameId(draft, node.id, id));
                      setSelected(id);
                    }}
                    onAddChild={() => {
                      const id = freshId(draft.root);
                      setRoot(
                        addChild(draft.root, node.id, {
                          id,
                          name: t('scoring.editor.newComponent'),
                          maxPoints: 0,
                          mapping: { kind: 'direct' },
                          missing: 'zero',
                        }),
                      );
                      setSelected(id);
                    }}
                    onRemove={() => {
                      const path = pathTo(draft.root, node.id);
                      setRoot(removeNode(draft.root, node.id));
                      setSelected(path?.at(-2) ?? draft.root.id);
                    }}
                    onMove={(by) => setRoot(moveNode(draft.root, node.id, by))}
                  />
                </Col>
              </Row>
            ),
          },
          {
            key: 'groups',
            label: t('scoring.editor.tabGroups', { n: draft.groups.length }),
            children: <GroupsForm definition={draft} onChange={setDraft} readOnly={readOnly} />,
          },
          {
            key: 'rules',
            label: t('scoring.editor.tabRules'),
            children: <RulesForm definition={draft} onChange={setDraft} readOnly={readOnly} />,
          },
          {
            key: 'review',
            label: t('scoring.editor.tabReview'),
            children: <ReviewForm definition={draft} onChange={setDraft} readOnly={readOnly} />,
          },
          {
            key: 'calc',
            label: t('scoring.editor.tabCalc'),
            children: <CalculationForm definition={draft} onChange={setDraft} readOnly={readOnly} />,
          },
        ]}
      />
      {saveOpen && (
        <SaveModal
          isNew={isNew}
          next={(latest ?? 0) + 1}
          saving={saving}
          missingInfo={isNew && (!info.code.trim() || !info.name.trim())}
          onCancel={() => setSaveOpen(false)}
          onSave={(note) => void save(note)}
        />
      )}
      {!isNew && (
        <Drawer
          open={historyOpen}
          size={560}
          title={t('scoring.editor.historyTitle')}
          onClose={() => setHistoryOpen(false)}
        >
          <Table<SchemeVersionInfo>
            size="small"
            rowKey="version"
            pagination={false}
            dataSource={[...(detail.data?.versions ?? [])].sort((a, b) => b.version - a.version)}
            columns={[
              {
                title: t('scoring.editor.version'),
                dataIndex: 'version',
                width: 90,
                render: (v: number) => (
                  <Space size={4}>
                    {t('scoring.versionN', { n: v })}
                    {v === latest && <Tag color="blue">{t('scoring.editor.latest')}</Tag>}
                  </Space>
                ),
              },
              { title: t('scoring.editor.note'), dataIndex: 'note', render: (n: string) => n || '—' },
              {
                title: t('scoring.editor.savedBy'),
                key: 'by',
                width: 150,
                render: (_: unknown, v) => (
                  <div>
                    <div>{v.createdBy}</div>
                    <div className="mp-sc-secondary">{formatTime(v.createdAt)}</div>
                  </div>
                ),
              },
              {
                key: 'open',
                width: 70,
                render: (_: unknown, v) => (
                  <Link
                    to={
                      v.version === latest && access.manage
                        ? `/schemes/${schemeId}`
                        : `/schemes/${schemeId}/versions/${v.version}`
                    }
                    onClick={() => setHistoryOpen(false)}
                  >
                    {v.version === latest && access.manage ? <EditOutlined /> : null}{' '}
                    {t('scoring.editor.view')}
                  </Link>
                ),
              },
            ]}
          />
        </Drawer>
      )}
    </>
  );
}

function SaveModal({
  isNew,
  next,
  saving,
  missingInfo,
  onCancel,
  onSave,
}: {
  isNew: boolean;
  next: number;
  saving: boolean;
  missingInfo: boolean;
  onCancel: () => void;
  onSave: (note: string) => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const noteMissing = !isNew && !note.trim();
  return (
    <Modal
      open
      title={isNew ? t('scoring.editor.saveNewTitle') : t('scoring.editor.saveVersionTitle', { n: next })}
      okText={t('common.save')}
      okButtonProps={{ loading: saving, disabled: missingInfo || noteMissing }}
      onOk={() => onSave(note)}
      onCancel={onCancel}
    >
      {missingInfo && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('scoring.editor.infoMissing')} />
      )}
      <Typography.Paragraph type="secondary">
        {isNew ? t('scoring.editor.saveNewText') : t('scoring.editor.saveVersionText')}
      </Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Form.Item label={t('scoring.editor.note')} htmlFor="sc-save-note" required={!isNew}>
          <Input.TextArea
            id="sc-save-note"
            rows={3}
            maxLength={400}
            value={note}
            placeholder={t('scoring.editor.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
