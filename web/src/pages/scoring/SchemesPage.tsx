import { FileAddOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Modal, Row, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { scoringApi, scoringKeys, type SchemeSummary, type SchemeTemplate } from './api';
import { useScoringAccess } from './menu';
import './scoring.css';

/** 考核方案: the office's schemes, and a new one from a template or from nothing. */
export function SchemesPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const navigate = useNavigate();
  const [choosing, setChoosing] = useState(false);
  const schemes = useQuery({
    queryKey: scoringKeys.schemes,
    queryFn: scoringApi.schemes,
    enabled: access.read,
  });

  if (!access.read) return <NoPermission />;

  return (
    <>
      <PageTitle
        title={t('scoring.schemes.title')}
        description={t('scoring.schemes.description')}
        extra={
          access.manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setChoosing(true)}>
              {t('scoring.schemes.create')}
            </Button>
          )
        }
      />
      <Card size="small">
        {schemes.isError && (
          <Alert type="error" showIcon title={errorText(schemes.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<SchemeSummary>
          size="small"
          rowKey="id"
          loading={schemes.isFetching}
          dataSource={schemes.data ?? []}
          pagination={false}
          onRow={(s) => ({ onClick: () => void navigate(`/schemes/${s.id}`), style: { cursor: 'pointer' } })}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={access.manage ? t('scoring.schemes.emptyManage') : t('scoring.schemes.empty')}
              />
            ),
          }}
          columns={[
            {
              title: t('scoring.schemes.code'),
              dataIndex: 'code',
              width: 160,
              render: (code: string) => <code>{code}</code>,
            },
            {
              title: t('scoring.schemes.name'),
              dataIndex: 'name',
              render: (name: string, s: SchemeSummary) => (
                <div>
                  <Typography.Link>{name}</Typography.Link>
                  {s.description && (
                    <div className="mp-sc-secondary" style={{ maxWidth: 640 }}>
                      {s.description}
                    </div>
                  )}
                </div>
              ),
            },
            {
              title: t('scoring.schemes.latestVersion'),
              dataIndex: 'latestVersion',
              width: 110,
              render: (v: number) => <Tag color="blue">{t('scoring.versionN', { n: v })}</Tag>,
            },
            {
              title: t('scoring.schemes.updatedAt'),
              dataIndex: 'updatedAt',
              width: 160,
              render: (v: string) => formatTime(v),
            },
          ]}
        />
      </Card>
      {choosing && (
        <TemplateChooser
          onClose={() => setChoosing(false)}
          onChoose={(key) =>
            void navigate(key ? `/schemes/new?template=${encodeURIComponent(key)}` : '/schemes/new')
          }
        />
      )}
    </>
  );
}

function TemplateChooser({
  onClose,
  onChoose,
}: {
  onClose: () => void;
  onChoose: (key: string | null) => void;
}) {
  const { t } = useTranslation();
  const templates = useQuery({
    queryKey: scoringKeys.templates,
    queryFn: scoringApi.templates,
    staleTime: 300_000,
  });
  const card = (key: string | null, title: string, text: string, extra?: React.ReactNode) => (
    <Col span={12} key={key ?? 'blank'}>
      <Card
        size="small"
        hoverable
        className="mp-sc-template"
        onClick={() => onChoose(key)}
        data-testid={`template-${key ?? 'blank'}`}
        title={
          <Space>
            {key ? <PartitionIcon /> : <FileAddOutlined />}
            {title}
          </Space>
        }
        extra={extra}
      >
        <Typography.Paragraph
          type="secondary"
          style={{ marginBottom: 0, fontSize: 13 }}
          ellipsis={{ rows: 3 }}
        >
          {text}
        </Typography.Paragraph>
      </Card>
    </Col>
  );
  return (
    <Modal open width={860} title={t('scoring.schemes.chooseTitle')} onCancel={onClose} footer={null}>
      <Typography.Paragraph type="secondary">{t('scoring.schemes.chooseText')}</Typography.Paragraph>
      {templates.isError && <Alert type="error" showIcon title={errorText(templates.error)} />}
      <Row gutter={[12, 12]}>
        {card(null, t('scoring.schemes.blank'), t('scoring.schemes.blankText'))}
        {(templates.data ?? []).map((tpl: SchemeTemplate) =>
          card(
            tpl.key,
            tpl.name,
            tpl.description,
            <Tag>{t('scoring.schemes.totalPoints', { n: tpl.definition.root.maxPoints })}</Tag>,
          ),
        )}
      </Row>
    </Modal>
  );
}

function PartitionIcon() {
  return <span className="mp-sc-template-mark">模</span>;
}
