import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { PageLoading } from '../../app/status-pages.tsx';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { providerShown } from '../access/access-badges.tsx';
import { useSession } from '../auth/session.ts';
import { GradeBadge, OpenTypeBadge } from '../catalog/badges.tsx';
import { useCatalogApi } from '../catalog/catalog-api.ts';
import type { EntrySummary } from '../catalog/catalog-types.ts';
import { localized } from '../catalog/localized.ts';
import { OPENING_KEY, useOpeningApi } from './opening-api.ts';
import { PlanStateBadge, ProgressBadge } from './opening-badges.tsx';
import { PLAN_OPEN_TYPES, type Plan, type PlanItem, type PlanOpenType } from './opening-types.ts';
import {
  addEntry,
  type EditorItem,
  editorItemsOf,
  type ItemProblem,
  isDirty,
  isPlannable,
  itemsRequest,
  placeItemErrors,
  planAbilities,
  planReviewRequest,
  removeItem,
  updateItem,
  validateItems,
} from './plan-editor.ts';
import '../catalog/catalog.css';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function ItemTitle({ item }: { item: Pick<PlanItem, 'entryCode' | 'entryTitle'> }) {
  const { i18n } = useTranslation();
  const title = localized(item.entryTitle, i18n.language);
  return (
    <>
      <Link to={`/catalog/entries/${encodeURIComponent(item.entryCode)}`} lang={title.lang}>
        {title.text || item.entryCode}
      </Link>
      <br />
      <span className="dp-code">{item.entryCode}</span>
    </>
  );
}

/** The items as they stand, with each one's progress: for readers who may not change the plan. */
export function PlanItemsTable({
  items,
  caption,
  testId,
}: {
  items: PlanItem[];
  caption: string;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <TableRegion label={caption}>
      <Table<PlanItem>
        data-testid={testId}
        rowKey="entryCode"
        dataSource={items}
        pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        caption={<span className="dp-table-caption">{caption}</span>}
        locale={{ emptyText: <EmptyText>{t('opening.editor.noItems')}</EmptyText> }}
        columns={[
          {
            title: t('opening.fields.entry'),
            key: 'entry',
            render: (_: unknown, i: PlanItem) => <ItemTitle item={i} />,
          },
          {
            title: t('opening.fields.openType'),
            dataIndex: 'openType',
            render: (v: string) => <OpenTypeBadge value={v} />,
          },
          {
            title: t('opening.fields.condition'),
            dataIndex: 'condition',
            render: (v: string | null) => v || '—',
          },
          {
            title: t('opening.fields.plannedDate'),
            dataIndex: 'plannedDate',
            className: 'dp-nowrap',
            render: (v: string) => formatDate(v, i18n.language),
          },
          {
            title: t('opening.fields.progress'),
            dataIndex: 'progress',
            render: (v: string) => <ProgressBadge value={v} />,
          },
          {
            title: t('opening.fields.openedAt'),
            dataIndex: 'openedAt',
            className: 'dp-nowrap',
            render: (v: string | null) => formatDate(v, i18n.language),
          },
        ]}
      />
    </TableRegion>
  );
}

interface EditableItemsProps {
  items: EditorItem[];
  problems: ItemProblem[];
  onChange: (items: EditorItem[]) => void;
}

function EditableItems({ items, problems, onChange }: EditableItemsProps) {
  const { t, i18n } = useTranslation();
  const caption = t('opening.editor.itemsCaption');
  const problemOf = (code: string, field: ItemProblem['field']) => {
    const p = problems.find((x) => x.entryCode === code && x.field === field);
    if (!p) return undefined;
    return p.message ?? t(`opening.editor.invalid.${p.key ?? 'generic'}`);
  };
  const errorText = (code: string, field: ItemProblem['field'], id: string) => {
    const text = problemOf(code, field);
    return text ? (
      <div id={id} className="ant-form-item-explain-error" role="alert" style={{ marginTop: 4 }}>
        {text}
      </div>
    ) : null;
  };
  return (
    <TableRegion label={caption}>
      <Table<EditorItem>
        data-testid="plan-items-editor"
        rowKey="entryCode"
        dataSource={items}
        pagination={false}
        caption={<span className="dp-table-caption">{caption}</span>}
        locale={{ emptyText: <EmptyText>{t('opening.editor.noItems')}</EmptyText> }}
        columns={[
          {
            title: t('opening.fields.entry'),
            key: 'entry',
            render: (_: unknown, item: EditorItem) => (
              <>
                <ItemTitle item={item} />
                {errorText(item.entryCode, 'entryCode', `${item.entryCode}-entry-error`)}
              </>
            ),
          },
          {
            title: t('opening.fields.openType'),
            key: 'openType',
            render: (_: unknown, item: EditorItem) => {
              const name = localized(item.entryTitle, i18n.language).text || item.entryCode;
              return (
                <>
                  <Select<PlanOpenType>
                    aria-label={t('opening.editor.openTypeFor', { name })}
                    value={item.openType}
                    style={{ width: 160 }}
                    onChange={(openType) => onChange(updateItem(items, item.entryCode, { openType }))}
                    options={PLAN_OPEN_TYPES.map((o) => ({ value: o, label: t(`opening.openTypes.${o}`) }))}
                  />
                  {errorText(item.entryCode, 'openType', `${item.entryCode}-open-error`)}
                </>
              );
            },
          },
          {
            title: t('opening.fields.condition'),
            key: 'condition',
            render: (_: unknown, item: EditorItem) => {
              const name = localized(item.entryTitle, i18n.language).text || item.entryCode;
              const error = problemOf(item.entryCode, 'condition');
              return item.openType === 'conditional' ? (
                <>
                  <Input.TextArea
                    rows={2}
                    maxLength={2000}
                    aria-label={t('opening.editor.conditionFor', { name })}
                    {...(error
                      ? {
                          'aria-invalid': 'true',
                          'aria-describedby': `${item.entryCode}-condition-error`,
                          status: 'error' as const,
                        }
                      : {})}
                    value={item.condition}
                    onChange={(e) =>
                      onChange(updateItem(items, item.entryCode, { condition: e.target.value }))
                    }
                  />
                  {errorText(item.entryCode, 'condition', `${item.entryCode}-condition-error`)}
                </>
              ) : (
                '—'
              );
            },
          },
          {
            title: t('opening.fields.plannedDate'),
            key: 'plannedDate',
            render: (_: unknown, item: EditorItem) => {
              const name = localized(item.entryTitle, i18n.language).text || item.entryCode;
              const error = problemOf(item.entryCode, 'plannedDate');
              return (
                <>
                  <Input
                    type="date"
                    style={{ width: 170 }}
                    aria-label={t('opening.editor.plannedDateFor', { name })}
                    {...(error
                      ? {
                          'aria-invalid': 'true',
                          'aria-describedby': `${item.entryCode}-date-error`,
                          status: 'error' as const,
                        }
                      : {})}
                    value={item.plannedDate}
                    onChange={(e) =>
                      onChange(updateItem(items, item.entryCode, { plannedDate: e.target.value }))
                    }
                  />
                  {errorText(item.entryCode, 'plannedDate', `${item.entryCode}-date-error`)}
                </>
              );
            },
          },
          {
            title: t('common.actions'),
            key: 'remove',
            render: (_: unknown, item: EditorItem) => (
              <Button size="small" danger onClick={() => onChange(removeItem(items, item.entryCode))}>
                <ActionLabel text={t('opening.editor.remove')} context={item.entryCode} />
              </Button>
            ),
          },
        ]}
      />
    </TableRegion>
  );
}

/** Finds the organisation's catalog entries (the catalog search with its organisation filter) to add. */
function EntryPicker({
  plan,
  items,
  onAdd,
}: {
  plan: Plan;
  items: EditorItem[];
  onAdd: (entry: EntrySummary) => void;
}) {
  const { t, i18n } = useTranslation();
  const catalog = useCatalogApi();
  const searchId = useId();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const results = useQuery({
    queryKey: ['catalog', 'search', 'plan-picker', plan.organizationId, q],
    queryFn: ({ signal }) =>
      catalog.search(
        { organization: [plan.organizationId], q: q || undefined, offset: 0, limit: 50 },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const caption = t('opening.editor.resultsCaption');
  const added = new Set(items.map((i) => i.entryCode));
  return (
    <section aria-labelledby="plan-picker-title" style={{ marginTop: 24 }}>
      <h3 id="plan-picker-title" style={{ fontSize: 16, margin: '0 0 8px' }}>
        {t('opening.editor.addTitle')}
      </h3>
      <search className="dp-toolbar">
        <div>
          <label htmlFor={searchId} className="dp-field-label">
            {t('opening.editor.searchLabel')}
          </label>
          <Input.Search
            id={searchId}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            enterButton={t('common.search')}
            onSearch={(value) => setQ(value.trim())}
            style={{ width: 380 }}
          />
        </div>
      </search>
      {results.error ? <ProblemAlert error={results.error} /> : null}
      <TableRegion label={caption}>
        <Table<EntrySummary>
          data-testid="plan-entry-results"
          rowKey="code"
          loading={results.isFetching}
          dataSource={results.data?.items ?? []}
          pagination={false}
          caption={<span className="dp-table-caption">{caption}</span>}
          locale={{ emptyText: <EmptyText>{t('opening.editor.noResults')}</EmptyText> }}
          columns={[
            {
              title: t('opening.fields.entry'),
              key: 'entry',
              render: (_: unknown, e: EntrySummary) => {
                const title = localized(e.title, i18n.language);
                return (
                  <>
                    <span lang={title.lang}>{title.text || e.code}</span>
                    <br />
                    <span className="dp-code">{e.code}</span>
                  </>
                );
              },
            },
            {
              title: t('opening.fields.openType'),
              dataIndex: 'openType',
              render: (v: string) => <OpenTypeBadge value={v} />,
            },
            {
              title: t('opening.fields.grade'),
              dataIndex: 'grade',
              render: (v: string) => <GradeBadge value={v} />,
            },
            {
              title: t('common.actions'),
              key: 'add',
              render: (_: unknown, e: EntrySummary) =>
                !isPlannable(e) ? (
                  t('opening.editor.coreNever')
                ) : added.has(e.code) ? (
                  t('opening.editor.inPlan')
                ) : (
                  <Button size="small" onClick={() => onAdd(e)}>
                    <ActionLabel text={t('opening.editor.add')} context={e.code} />
                  </Button>
                ),
            },
          ]}
        />
      </TableRegion>
    </section>
  );
}

function ReviewCard({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const api = useOpeningApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ comment?: string }>();
  const review = useMutation({
    mutationFn: (body: { decision: 'approve' | 'return'; comment?: string }) => api.review(plan.id, body),
    onSuccess: (next) => {
      queryClient.setQueryData([...OPENING_KEY, 'plan', plan.id], next);
      void queryClient.invalidateQueries({ queryKey: OPENING_KEY });
      void message.success(
        t(next.state === 'approved' ? 'opening.review.approved' : 'opening.review.returned'),
      );
    },
  });
  const decide = (decision: 'approve' | 'return') => {
    const built = planReviewRequest(decision, form.getFieldValue('comment') as string | undefined);
    if (built.request === undefined) {
      form.setFields([{ name: 'comment', errors: [t(`opening.review.invalid.${built.problem}`)] }]);
      form.scrollToField('comment', { focus: true });
      return;
    }
    form.setFields([{ name: 'comment', errors: [] }]);
    review.mutate(built.request);
  };
  return (
    <Card
      style={{ marginTop: 20 }}
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('opening.review.title')}</h2>}
    >
      <Form form={form} name="plan-review" layout="vertical">
        <Form.Item label={t('opening.review.comment')} name="comment" extra={t('opening.review.commentHelp')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </Form>
      {review.error ? <ProblemAlert error={review.error} /> : null}
      <Space wrap style={{ marginTop: 12 }}>
        <Button
          type="primary"
          loading={review.isPending && review.variables?.decision === 'approve'}
          onClick={() => decide('approve')}
        >
          {t('opening.review.approve')}
        </Button>
        <Button
          danger
          loading={review.isPending && review.variables?.decision === 'return'}
          onClick={() => decide('return')}
        >
          {t('opening.review.return')}
        </Button>
      </Space>
    </Card>
  );
}

function Editor({ plan, user }: { plan: Plan; user: SessionUser | undefined }) {
  const { t } = useTranslation();
  const api = useOpeningApi();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const can = planAbilities(plan, user);
  const [items, setItems] = useState<EditorItem[]>(() => editorItemsOf(plan));
  const [problems, setProblems] = useState<ItemProblem[]>([]);
  const [general, setGeneral] = useState<string[]>([]);
  // A plan saved or reviewed elsewhere replaces the rows.
  useEffect(() => setItems(editorItemsOf(plan)), [plan]);
  const dirty = isDirty(items, plan);
  const stored = (next: Plan) => {
    queryClient.setQueryData([...OPENING_KEY, 'plan', plan.id], next);
    void queryClient.invalidateQueries({ queryKey: [...OPENING_KEY, 'plans'] });
  };
  const save = useMutation({
    mutationFn: () => api.saveItems(plan.id, itemsRequest(items)),
    onSuccess: (next) => {
      setProblems([]);
      setGeneral([]);
      stored(next);
      void message.success(t('opening.editor.saved'));
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const placed = placeItemErrors(error.errors, items);
      setProblems(placed.rows);
      setGeneral(placed.general);
    },
  });
  const submit = useMutation({
    mutationFn: () => api.submit(plan.id),
    onSuccess: (next) => {
      stored(next);
      void message.success(t('opening.editor.submitted'));
    },
  });
  const trySave = () => {
    const found = validateItems(items);
    setProblems(found);
    setGeneral([]);
    if (found.length > 0) return;
    if (plan.state === 'approved') {
      modal.confirm({
        title: t('opening.editor.amendTitle'),
        content: t('opening.editor.amendText'),
        okText: t('opening.editor.save'),
        cancelText: t('common.cancel'),
        onOk: () => save.mutateAsync().catch(() => undefined),
      });
      return;
    }
    save.mutate();
  };
  const saveError = save.error instanceof ApiError && save.error.errors.length > 0 ? undefined : save.error;
  return (
    <>
      {can.edit ? (
        <>
          <EditableItems items={items} problems={problems} onChange={setItems} />
          {general.length > 0 ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              style={{ marginTop: 12 }}
              title={t('opening.editor.notSaved')}
              description={general.join(t('common.listSeparator'))}
            />
          ) : null}
          {saveError ? (
            <div style={{ marginTop: 12 }}>
              <ProblemAlert error={saveError} />
            </div>
          ) : null}
          {submit.error ? (
            <div style={{ marginTop: 12 }}>
              <ProblemAlert error={submit.error} />
            </div>
          ) : null}
          <Space wrap style={{ marginTop: 16 }}>
            <Button type="primary" disabled={!dirty} loading={save.isPending} onClick={trySave}>
              {t('opening.editor.save')}
            </Button>
            {dirty ? (
              <Button onClick={() => setItems(editorItemsOf(plan))}>{t('opening.editor.discard')}</Button>
            ) : null}
            {can.submit ? (
              <Button
                disabled={dirty || items.length === 0}
                loading={submit.isPending}
                onClick={() =>
                  modal.confirm({
                    title: t('opening.editor.submitConfirm', { count: items.length }),
                    okText: t('opening.editor.submit'),
                    cancelText: t('common.cancel'),
                    onOk: () => submit.mutateAsync().catch(() => undefined),
                  })
                }
              >
                {t('opening.editor.submit')}
              </Button>
            ) : null}
          </Space>
          {dirty && can.submit ? (
            <p className="dp-meta-line" style={{ marginTop: 8 }}>
              {t('opening.editor.saveBeforeSubmit')}
            </p>
          ) : null}
          <EntryPicker
            plan={plan}
            items={items}
            onAdd={(entry) => setItems(addEntry(items, entry, plan.year))}
          />
        </>
      ) : (
        <PlanItemsTable items={plan.items} caption={t('opening.editor.itemsCaption')} testId="plan-items" />
      )}
      {can.review ? <ReviewCard plan={plan} /> : null}
    </>
  );
}

/** One institution's plan for a year: its items, the operator's comment, and what the reader may do. */
export function PlanPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const api = useOpeningApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const plan = useQuery({
    queryKey: [...OPENING_KEY, 'plan', id],
    queryFn: ({ signal }) => api.plan(id, signal),
  });
  if (plan.isPending) return <PageLoading />;
  if (plan.error) {
    return (
      <>
        <PageHeader title={t('opening.editor.title')} />
        <ProblemAlert error={plan.error} messages={{ 404: t('opening.editor.notFound') }} />
        <p>
          <Link to="/opening/plans">{t('opening.editor.backToPlans')}</Link>
        </p>
      </>
    );
  }
  const data = plan.data;
  const org = providerShown(data.organizationName, i18n.language);
  const amending = data.approvedItems !== null && data.state !== 'approved';
  return (
    <>
      <PageHeader
        title={t('opening.editor.titleFor', { year: data.year, organization: org.text })}
        description={t('opening.editor.intro')}
      />
      <p>
        <Link to="/opening/plans">{t('opening.editor.backToPlans')}</Link>
        <span aria-hidden="true"> · </span>
        <Link to={`/opening/${data.year}`}>{t('opening.editor.cityPlanLink', { year: data.year })}</Link>
      </p>
      <table className="dp-kv" data-testid="plan-facts" style={{ marginBottom: 20 }}>
        <caption>{t('opening.editor.factsCaption')}</caption>
        <tbody>
          <Row label={t('opening.fields.organization')}>
            <span lang={org.lang}>{org.text}</span>
          </Row>
          <Row label={t('opening.fields.year')}>{data.year}</Row>
          <Row label={t('opening.fields.state')}>
            <PlanStateBadge value={data.state} />
          </Row>
          <Row label={t('opening.fields.items')}>{data.items.length}</Row>
          <Row label={t('opening.fields.submittedAt')}>{formatDateTime(data.submittedAt, i18n.language)}</Row>
          <Row label={t('opening.fields.approvedAt')}>{formatDateTime(data.approvedAt, i18n.language)}</Row>
          <Row label={t('opening.fields.updatedAt')}>{formatDateTime(data.updatedAt, i18n.language)}</Row>
        </tbody>
      </table>
      {data.state === 'returned' && data.comment ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('opening.editor.returnedTitle')}
          description={<span style={{ whiteSpace: 'pre-line' }}>{data.comment}</span>}
          data-testid="plan-returned-comment"
        />
      ) : null}
      {amending ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('opening.editor.amending', { count: data.approvedItems?.length ?? 0 })}
        />
      ) : null}
      <Editor plan={data} user={user} />
    </>
  );
}
