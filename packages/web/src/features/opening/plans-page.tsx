import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Select, Table } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { providerShown } from '../access/access-badges.tsx';
import { staffedInstitutions } from '../access/access-roles.ts';
import { problemCode } from '../access/problem-codes.ts';
import { useSession } from '../auth/session.ts';
import { organizationName } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { yearChoices } from './city-plan.ts';
import { OPENING_KEY, useOpeningApi } from './opening-api.ts';
import { PlanStateBadge } from './opening-badges.tsx';
import type { Plan } from './opening-types.ts';
import '../catalog/catalog.css';

function NewPlanForm({ existing }: { existing: Plan[] }) {
  const { t, i18n } = useTranslation();
  const api = useOpeningApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const institutions = useInstitutions();
  const user = session?.authenticated ? session.user : undefined;
  const mine = staffedInstitutions(user, institutions.data);
  const [form] = Form.useForm<{ organizationId?: string; year: number }>();
  const create = useMutation({
    mutationFn: api.create,
    onSuccess: (plan) => {
      void queryClient.invalidateQueries({ queryKey: OPENING_KEY });
      navigate(`/opening/plans/${encodeURIComponent(plan.id)}`);
    },
  });
  const organizationId = Form.useWatch('organizationId', form);
  const year = Form.useWatch('year', form);
  if (mine.length === 0) return null;
  const clash =
    problemCode(create.error) === 'plan-exists'
      ? existing.find((p) => p.organizationId === organizationId && p.year === year)
      : undefined;
  return (
    <Card
      style={{ marginBottom: 20 }}
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('opening.plans.newTitle')}</h2>}
    >
      <Form
        form={form}
        name="new-plan"
        layout="inline"
        initialValues={{
          organizationId: mine.length === 1 ? mine[0]?.id : undefined,
          year: new Date().getFullYear() + 1,
        }}
        onFinish={(values) => {
          if (!values.organizationId) {
            form.setFields([{ name: 'organizationId', errors: [t('opening.plans.organizationRequired')] }]);
            return;
          }
          create.mutate({ organizationId: values.organizationId, year: values.year });
        }}
      >
        <Form.Item label={t('opening.fields.organization')} name="organizationId" required>
          <Select
            style={{ minWidth: 260 }}
            options={mine.map((o) => {
              const name = organizationName(o, i18n.language);
              return { value: o.id, label: <span lang={name.lang}>{name.text}</span> };
            })}
          />
        </Form.Item>
        <Form.Item label={t('opening.fields.year')} name="year" required>
          <Select
            style={{ width: 120 }}
            options={yearChoices().map((y) => ({ value: y, label: String(y) }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('opening.plans.create')}
          </Button>
        </Form.Item>
      </Form>
      {create.error ? (
        problemCode(create.error) === 'plan-exists' ? (
          <Alert
            type="warning"
            showIcon
            role="alert"
            style={{ marginTop: 12 }}
            title={t('opening.plans.exists')}
            description={
              clash ? (
                <Link to={`/opening/plans/${encodeURIComponent(clash.id)}`}>
                  {t('opening.plans.openExisting')}
                </Link>
              ) : undefined
            }
          />
        ) : (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert error={create.error} />
          </div>
        )
      ) : null}
    </Card>
  );
}

/** The annual opening plans the reader may see: their institutions', or all of them for the operator. */
export function PlansPage() {
  const { t, i18n } = useTranslation();
  const api = useOpeningApi();
  const [params, setParams] = useSearchParams();
  const filterId = useId();
  const year = Number(params.get('year')) || undefined;
  const plans = useQuery({
    queryKey: [...OPENING_KEY, 'plans', year ?? 'all'],
    queryFn: ({ signal }) => api.plans(year ? { year } : {}, signal),
  });
  const rows = [...(plans.data?.items ?? [])].sort(
    (a, b) => b.year - a.year || String(a.organizationName).localeCompare(String(b.organizationName)),
  );
  const caption = t('opening.plans.caption');
  return (
    <>
      <PageHeader title={t('opening.plans.title')} description={t('opening.plans.intro')} />
      <NewPlanForm existing={plans.data?.items ?? []} />
      <Card>
        <div className="dp-toolbar">
          <div>
            <label htmlFor={filterId} className="dp-field-label">
              {t('opening.fields.year')}
            </label>
            <Select<string>
              id={filterId}
              value={year ? String(year) : 'all'}
              style={{ width: 160 }}
              onChange={(y) => setParams(y === 'all' ? {} : { year: y })}
              options={[
                { value: 'all', label: t('opening.plans.allYears') },
                ...yearChoices().map((y) => ({ value: String(y), label: String(y) })),
              ]}
            />
          </div>
        </div>
        {plans.error ? <ProblemAlert error={plans.error} /> : null}
        <TableRegion label={caption}>
          <Table<Plan>
            data-testid="opening-plans"
            rowKey="id"
            loading={plans.isFetching}
            dataSource={rows}
            pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
            caption={<span className="dp-table-caption">{caption}</span>}
            locale={{ emptyText: <EmptyText>{t('opening.plans.empty')}</EmptyText> }}
            columns={[
              {
                title: t('opening.fields.organization'),
                key: 'organization',
                render: (_: unknown, p: Plan) => {
                  const name = providerShown(p.organizationName, i18n.language);
                  return <span lang={name.lang}>{name.text}</span>;
                },
              },
              { title: t('opening.fields.year'), dataIndex: 'year' },
              {
                title: t('opening.fields.state'),
                dataIndex: 'state',
                render: (v: string) => <PlanStateBadge value={v} />,
              },
              {
                title: t('opening.fields.items'),
                key: 'items',
                align: 'right',
                render: (_: unknown, p: Plan) => p.items.length,
              },
              {
                title: t('opening.fields.submittedAt'),
                dataIndex: 'submittedAt',
                className: 'dp-nowrap',
                render: (v: string | null) => formatDateTime(v, i18n.language),
              },
              {
                title: t('opening.fields.approvedAt'),
                dataIndex: 'approvedAt',
                className: 'dp-nowrap',
                render: (v: string | null) => formatDateTime(v, i18n.language),
              },
              {
                title: t('common.actions'),
                key: 'open',
                className: 'dp-nowrap',
                render: (_: unknown, p: Plan) => (
                  <Link to={`/opening/plans/${encodeURIComponent(p.id)}`}>
                    <ActionLabel
                      text={t('opening.plans.open')}
                      context={`${providerShown(p.organizationName, i18n.language).text} ${p.year}`}
                    />
                  </Link>
                ),
              },
            ]}
          />
        </TableRegion>
      </Card>
    </>
  );
}
