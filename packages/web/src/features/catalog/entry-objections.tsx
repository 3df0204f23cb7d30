import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Radio, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { StateBadge } from './badges.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { EntryDetail, Objection } from './catalog-types.ts';

const PAGE = 20;

interface FileValues {
  field?: string;
  message: string;
}

function FileObjectionForm({ code, onFiled }: { code: string; onFiled: () => void }) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<FileValues>();
  const file = useMutation({
    mutationFn: (v: FileValues) =>
      api.fileObjection(code, {
        message: v.message.trim(),
        ...(v.field?.trim() ? { field: v.field.trim() } : {}),
      }),
    onSuccess: () => {
      form.resetFields();
      void message.success(t('catalog.objections.filed'));
      onFiled();
    },
  });
  return (
    <Form<FileValues>
      form={form}
      name="objection"
      layout="vertical"
      onFinish={(v) => file.mutate(v)}
      disabled={file.isPending}
    >
      <Form.Item label={t('catalog.objections.field')} name="field" extra={t('catalog.objections.fieldHelp')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        label={t('catalog.objections.message')}
        name="message"
        rules={[
          { required: true, whitespace: true, message: t('common.required') },
          { min: 5, message: t('catalog.objections.messageTooShort') },
        ]}
      >
        <Input.TextArea rows={4} maxLength={4000} showCount />
      </Form.Item>
      {file.error ? (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={file.error} />
        </div>
      ) : null}
      <Button type="primary" htmlType="submit" loading={file.isPending}>
        {t('catalog.objections.file')}
      </Button>
    </Form>
  );
}

interface AnswerValues {
  resolution: 'accepted' | 'rejected';
  response: string;
}

function AnswerModal({ objection, onClose }: { objection: Objection | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<AnswerValues>();
  const answer = useMutation({
    mutationFn: (v: AnswerValues) =>
      api.answerObjection(objection!.id, { resolution: v.resolution, response: v.response.trim() }),
    onSuccess: () => {
      void message.success(t('catalog.objections.answered'));
      void queryClient.invalidateQueries({ queryKey: ['catalog', 'entry'] });
      onClose();
    },
  });
  return (
    <Modal
      open={objection !== undefined}
      title={t('catalog.objections.answerTitle')}
      okText={t('catalog.objections.sendAnswer')}
      cancelText={t('common.cancel')}
      confirmLoading={answer.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => answer.reset()}
    >
      {objection ? (
        <blockquote style={{ margin: '0 0 16px', paddingLeft: 12, borderLeft: '3px solid #d9d9d9' }}>
          {objection.message}
        </blockquote>
      ) : null}
      <Form<AnswerValues>
        form={form}
        name="answer"
        layout="vertical"
        preserve={false}
        onFinish={(v) => answer.mutate(v)}
      >
        <Form.Item
          label={t('catalog.objections.resolution')}
          name="resolution"
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Radio.Group
            aria-label={t('catalog.objections.resolution')}
            options={[
              { value: 'accepted', label: t('catalog.objections.accept') },
              { value: 'rejected', label: t('catalog.objections.reject') },
            ]}
          />
        </Form.Item>
        <Form.Item
          label={t('catalog.objections.response')}
          name="response"
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            { min: 2, message: t('common.required') },
          ]}
        >
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        {answer.error ? <ProblemAlert error={answer.error} /> : null}
      </Form>
    </Modal>
  );
}

/** Objections to the entry with the provider's answers and how long they took; filing and answering. */
export function EntryObjections({ detail }: { detail: EntryDetail }) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const location = useLocation();
  const { data: session } = useSession();
  const code = detail.entry.code;
  const [page, setPage] = useState(1);
  const [answering, setAnswering] = useState<Objection | undefined>();
  const objections = useQuery({
    queryKey: ['catalog', 'entry', code, 'objections', page],
    queryFn: ({ signal }) => api.objections(code, (page - 1) * PAGE, PAGE, signal),
    placeholderData: keepPreviousData,
  });
  const next = `${location.pathname}${location.search}`;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.objections.title')}</h2>}>
        <p style={{ marginTop: 0 }}>{t('catalog.objections.intro')}</p>
        {objections.error ? <ProblemAlert error={objections.error} /> : null}
        <TableRegion label={t('catalog.objections.title')}>
          <Table<Objection>
            data-testid="objections"
            rowKey="id"
            loading={objections.isFetching}
            dataSource={objections.data?.items ?? []}
            caption={<span className="dp-visually-hidden">{t('catalog.objections.title')}</span>}
            locale={{ emptyText: <EmptyText>{t('catalog.objections.empty')}</EmptyText> }}
            pagination={{
              current: page,
              pageSize: PAGE,
              total: objections.data?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              onChange: setPage,
            }}
            columns={[
              {
                title: t('catalog.objections.filedAt'),
                dataIndex: 'createdAt',
                className: 'dp-nowrap',
                render: (v: string) => formatDateTime(v, i18n.language),
              },
              { title: t('catalog.objections.field'), dataIndex: 'field', render: (v?: string) => v || '—' },
              { title: t('catalog.objections.message'), dataIndex: 'message' },
              {
                title: t('catalog.objections.state'),
                dataIndex: 'state',
                render: (v: string) => <StateBadge value={v} group="objection" />,
              },
              {
                title: t('catalog.objections.response'),
                dataIndex: 'response',
                render: (v?: string) => v || '—',
              },
              {
                title: t('catalog.objections.responseTime'),
                dataIndex: 'responseHours',
                className: 'dp-nowrap',
                render: (v?: number) =>
                  v === undefined
                    ? t('catalog.objections.waiting')
                    : t('catalog.objections.hours', { count: v }),
              },
              ...(detail.can.answerObjections
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      className: 'dp-nowrap',
                      render: (_: unknown, o: Objection) =>
                        o.state === 'open' ? (
                          <Button size="small" onClick={() => setAnswering(o)}>
                            <ActionLabel
                              text={t('catalog.objections.answer')}
                              context={o.message.slice(0, 40)}
                            />
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        </TableRegion>
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.objections.fileTitle')}</h2>}>
        {detail.can.fileObjection ? (
          <FileObjectionForm code={code} onFiled={() => void objections.refetch()} />
        ) : session?.authenticated ? (
          <p style={{ margin: 0 }}>{t('catalog.objections.notOpenForObjections')}</p>
        ) : (
          <p style={{ margin: 0 }}>
            <Link to={`/sign-in?next=${encodeURIComponent(next)}`}>
              {t('catalog.objections.signInToFile')}
            </Link>
          </p>
        )}
      </Card>
      <AnswerModal objection={answering} onClose={() => setAnswering(undefined)} />
    </Space>
  );
}
