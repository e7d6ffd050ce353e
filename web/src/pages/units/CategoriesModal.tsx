import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { keys, useCategories } from '../../queries';
import { useAccount } from '../../session';
import type { Category } from '../../types';
import { showFieldError } from '../../util';

interface CategoryValues {
  code: string;
  name: string;
  nameEn?: string;
  description?: string;
}

/** 类别管理: unit categories group units for ranking (e.g. sections with approval power). */
export function CategoriesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { can, scoped } = useAccount();
  const categories = useCategories();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const canEdit = can('registry:write') && !scoped;

  return (
    <Modal
      open={open}
      title={t('categories.title')}
      width={860}
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('categories.explain')}</Typography.Paragraph>
      {canEdit && !editing && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => setEditing('new')}
        >
          {t('categories.add')}
        </Button>
      )}
      {editing && (
        <CategoryForm category={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      )}
      {categories.isError && <Alert type="error" showIcon title={errorText(categories.error)} />}
      <Table<Category>
        size="small"
        rowKey="id"
        loading={categories.isPending}
        dataSource={categories.data ?? []}
        pagination={false}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={canEdit ? t('categories.empty') : t('categories.emptyReadOnly')}
            />
          ),
        }}
        columns={[
          { title: t('fields.code'), dataIndex: 'code', width: 120 },
          { title: t('fields.categoryName'), dataIndex: 'name', width: 200 },
          { title: t('fields.nameEn'), dataIndex: 'nameEn', width: 180, render: (v: string) => v || '—' },
          { title: t('fields.description'), dataIndex: 'description', render: (v: string) => v || '—' },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, c: Category) => (
                    <Button type="link" size="small" onClick={() => setEditing(c)}>
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Modal>
  );
}

function CategoryForm({ category, onDone }: { category: Category | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<CategoryValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: CategoryValues) => {
    setBusy(true);
    setError(null);
    const text = {
      name: values.name.trim(),
      nameEn: values.nameEn?.trim() ?? '',
      description: values.description?.trim() ?? '',
    };
    try {
      if (category) await api.updateCategory(category.id, text);
      else await api.createCategory({ code: values.code.trim(), ...text });
      void message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: keys.categories });
      onDone();
    } catch (e) {
      if (!showFieldError(form, e, ['code', 'name', 'nameEn', 'description'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={category ? t('categories.editTitle') : t('categories.add')}
      style={{ marginBottom: 12 }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<CategoryValues>
        name="category"
        form={form}
        layout="vertical"
        initialValues={category ?? {}}
        onFinish={(v) => void submit(v)}
      >
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item
              name="code"
              label={t('fields.code')}
              rules={[
                { required: true, message: t('units.codeRequired') },
                { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('errors.invalid_code') },
              ]}
            >
              <Input disabled={category !== null} maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item
              name="name"
              label={t('fields.categoryName')}
              rules={[{ required: true, whitespace: true, message: t('categories.nameRequired') }]}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item name="nameEn" label={t('fields.nameEn')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('fields.description')}>
              <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            {category ? t('common.save') : t('common.create')}
          </Button>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
