import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useDatastoreApi } from './datastore-api.ts';
import type { DatastoreResource } from './datastore-types.ts';
import { formatCount } from './format-datastore.ts';

interface CreateValues {
  name: string;
  description?: string;
}

function CreateModal({
  entryCode,
  open,
  onClose,
}: {
  entryCode: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const api = useDatastoreApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      api.createResource({
        entryCode,
        name: v.name.trim(),
        ...(v.description?.trim() ? { description: v.description.trim() } : {}),
      }),
    onSuccess: (resource) => {
      void queryClient.invalidateQueries({ queryKey: ['datastore', 'resources', entryCode] });
      onClose();
      // A new table is empty: the next thing to do is to load a file into it.
      navigate(`/data/${encodeURIComponent(resource.id)}/upload`);
    },
  });
  return (
    <Modal
      open={open}
      title={t('datastore.entry.createTitle')}
      okText={t('datastore.entry.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => create.reset()}
    >
      <Form<CreateValues>
        form={form}
        name="new-data-table"
        layout="vertical"
        preserve={false}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          label={t('datastore.entry.name')}
          name="name"
          extra={t('datastore.entry.nameHelp')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('datastore.entry.description')} name="description">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {create.error ? <ProblemAlert error={create.error} /> : null}
      </Form>
    </Modal>
  );
}

/**
 * The data tables behind a catalog entry, on the entry's page. Hidden when there are none and the reader
 * cannot add one, and when the platform runs without the datastore module.
 */
export function EntryDataTables({ entryCode, canCreate }: { entryCode: string; canCreate: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const [creating, setCreating] = useState(false);
  const resources = useQuery({
    queryKey: ['datastore', 'resources', entryCode],
    queryFn: ({ signal }) => api.resources(entryCode, signal),
  });
  const unavailable = resources.error instanceof ApiError && resources.error.status === 404;
  const items = resources.data?.items ?? [];
  if (unavailable || (!canCreate && (resources.isPending || items.length === 0) && !resources.error))
    return null;

  return (
    <section aria-labelledby="entry-data-tables" data-testid="entry-data-tables">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12 }}>
        <h2 id="entry-data-tables" style={{ fontSize: 18, margin: '0 0 6px' }}>
          {t('datastore.entry.title')}
        </h2>
        {canCreate ? <Button onClick={() => setCreating(true)}>{t('datastore.entry.new')}</Button> : null}
      </div>
      {resources.error ? <ProblemAlert error={resources.error} /> : null}
      <TableRegion label={t('datastore.entry.title')}>
        <Table<DatastoreResource>
          rowKey="id"
          size="small"
          loading={resources.isPending}
          dataSource={items}
          pagination={false}
          caption={<span className="dp-visually-hidden">{t('datastore.entry.title')}</span>}
          locale={{ emptyText: <EmptyText>{t('datastore.entry.empty')}</EmptyText> }}
          columns={[
            {
              title: t('datastore.entry.name'),
              dataIndex: 'name',
              render: (name: string, r: DatastoreResource) => (
                <Link to={`/data/${encodeURIComponent(r.id)}`}>{name}</Link>
              ),
            },
            {
              title: t('datastore.entry.rows'),
              dataIndex: 'rowCount',
              className: 'dp-nowrap',
              render: (v: number | null) => (v === null ? '—' : formatCount(v, i18n.language)),
            },
            {
              title: t('datastore.entry.liveVersion'),
              dataIndex: 'liveVersion',
              className: 'dp-nowrap',
              render: (v: number | null) =>
                v === null
                  ? t('datastore.entry.noVersion')
                  : t('datastore.versions.versionN', { version: v }),
            },
            {
              title: t('datastore.entry.updatedAt'),
              dataIndex: 'updatedAt',
              className: 'dp-nowrap',
              render: (v: string) => formatDateTime(v, i18n.language),
            },
          ]}
        />
      </TableRegion>
      {canCreate ? (
        <CreateModal entryCode={entryCode} open={creating} onClose={() => setCreating(false)} />
      ) : null}
    </section>
  );
}
