import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { Badge } from '../catalog/badges.tsx';
import type { Institution } from '../catalog/catalog-types.ts';
import { organizationName } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { usageLink } from '../usage/usage-view.ts';
import { SecretPanel } from './secret-panel.tsx';
import { SHARING_KEY, useSharingApi } from './sharing-api.ts';
import {
  chosenInstitution,
  clientNameOf,
  clientRows,
  clientState,
  howToCommands,
  NAME_MAX,
  type ShownSecret,
  secretAfterRevoke,
  sharingInstitutions,
  sharingProblem,
  takeSecret,
  withRevoked,
  withSystem,
} from './sharing-console.ts';
import type { BusinessSystem } from './sharing-types.ts';
import '../catalog/catalog.css';

type ClientList = { items: BusinessSystem[] };

function StateBadge({ system }: { system: BusinessSystem }) {
  const { t } = useTranslation();
  const state = clientState(system);
  return (
    <Badge
      kind={t('clients.fields.state')}
      text={t(`clients.states.${state}`)}
      tone={state === 'active' ? 'green' : 'grey'}
    />
  );
}

/** A refusal in the console's words when it has some, the server's otherwise. */
function ConsoleProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const known = sharingProblem(error);
  if (known === undefined) return <ProblemAlert error={error} />;
  return (
    <ProblemAlert
      error={error}
      messages={{ 403: t(`clients.problems.${known}`), 404: t(`clients.problems.${known}`) }}
    />
  );
}

function RegisterForm({
  pending,
  error,
  onRegister,
}: {
  pending: boolean;
  error: unknown;
  onRegister: (name: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name?: string }>();
  return (
    <Form
      form={form}
      name="register-client"
      layout="vertical"
      style={{ maxWidth: 560 }}
      disabled={pending}
      onFinish={async (values) => {
        const checked = clientNameOf(values.name);
        if (checked.problem !== undefined) {
          form.setFields([
            { name: 'name', errors: [t(`clients.register.${checked.problem}`, { max: NAME_MAX })] },
          ]);
          return;
        }
        try {
          await onRegister(checked.name);
          form.resetFields();
        } catch {
          // Shown under the form from the mutation's error.
        }
      }}
    >
      <Form.Item label={t('clients.fields.name')} name="name" required extra={t('clients.register.nameHelp')}>
        <Input maxLength={NAME_MAX} autoComplete="off" />
      </Form.Item>
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ConsoleProblem error={error} />
        </div>
      ) : null}
      <Button type="primary" htmlType="submit" loading={pending}>
        {t('clients.register.action')}
      </Button>
    </Form>
  );
}

function SystemsTable({
  systems,
  loading,
  busy,
  onRotate,
  onRevoke,
}: {
  systems: BusinessSystem[];
  loading: boolean;
  busy: string | undefined;
  onRotate: (system: BusinessSystem) => void;
  onRevoke: (system: BusinessSystem) => void;
}) {
  const { t, i18n } = useTranslation();
  const caption = t('clients.list.caption', { count: systems.length });
  return (
    <TableRegion label={caption}>
      <Table<BusinessSystem>
        data-testid="business-systems"
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={clientRows(systems)}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        caption={<span className="dp-table-caption">{caption}</span>}
        locale={{ emptyText: <EmptyText>{t('clients.list.empty')}</EmptyText> }}
        columns={[
          { title: t('clients.fields.name'), dataIndex: 'name' },
          {
            title: t('clients.fields.clientId'),
            dataIndex: 'clientId',
            render: (v: string) => <span className="dp-mono">{v}</span>,
          },
          {
            title: t('clients.fields.createdAt'),
            dataIndex: 'createdAt',
            className: 'dp-nowrap',
            render: (v: string) => formatDate(v, i18n.language),
          },
          {
            title: t('clients.fields.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) =>
              v ? formatDateTime(v, i18n.language) : t('clients.list.neverUsed'),
          },
          {
            title: t('clients.fields.state'),
            key: 'state',
            className: 'dp-nowrap',
            render: (_: unknown, s: BusinessSystem) => (
              <>
                <StateBadge system={s} />
                {s.revokedAt ? (
                  <div className="dp-meta-line">{formatDateTime(s.revokedAt, i18n.language)}</div>
                ) : null}
              </>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            className: 'dp-nowrap',
            render: (_: unknown, s: BusinessSystem) =>
              clientState(s) === 'active' ? (
                <Space size="small">
                  <Button
                    size="small"
                    disabled={busy !== undefined}
                    loading={busy === `rotate:${s.clientId}`}
                    onClick={() => onRotate(s)}
                  >
                    <ActionLabel text={t('clients.rotate.action')} context={s.name} />
                  </Button>
                  <Button
                    size="small"
                    danger
                    disabled={busy !== undefined}
                    loading={busy === `revoke:${s.clientId}`}
                    onClick={() => onRevoke(s)}
                  >
                    <ActionLabel text={t('clients.revoke.action')} context={s.name} />
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </TableRegion>
  );
}

function HowTo() {
  const { t } = useTranslation();
  const commands = howToCommands(window.location.origin);
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('clients.howTo.title')}</h2>}>
      <p style={{ marginTop: 0 }}>{t('clients.howTo.intro')}</p>
      <h3 style={{ fontSize: 16 }}>{t('clients.howTo.tokenTitle')}</h3>
      <p>{t('clients.howTo.tokenText')}</p>
      <pre className="dp-pre dp-mono" data-testid="how-to-token" translate="no">
        <code>{commands.token}</code>
      </pre>
      <h3 style={{ fontSize: 16, marginTop: 16 }}>{t('clients.howTo.recordsTitle')}</h3>
      <p>{t('clients.howTo.recordsText')}</p>
      <pre className="dp-pre dp-mono" data-testid="how-to-records" translate="no">
        <code>{commands.records}</code>
      </pre>
      <p style={{ marginTop: 12, marginBottom: 0 }}>{t('clients.howTo.scope')}</p>
    </Card>
  );
}

/** One institution's business systems: register, give a new secret, revoke. */
function Console({ institution }: { institution: Institution }) {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const api = useSharingApi();
  const queryClient = useQueryClient();
  const key = [...SHARING_KEY, institution.id];
  // The secret lives only here, in the page's state: never in a query or mutation cache.
  const [shown, setShown] = useState<ShownSecret | undefined>();
  const systems = useQuery({ queryKey: key, queryFn: ({ signal }) => api.list(institution.id, signal) });
  const stored = (update: (old: ClientList | undefined) => BusinessSystem[]) => {
    queryClient.setQueryData<ClientList>(key, (old) => ({ items: update(old) }));
    void queryClient.invalidateQueries({ queryKey: key });
  };

  const register = useMutation({
    mutationFn: async (name: string) => {
      const { secret, item } = takeSecret('created', await api.register(institution.id, name));
      setShown(secret);
      return item;
    },
    onSuccess: (item) => stored((old) => withSystem(old?.items, item)),
  });
  const rotate = useMutation({
    mutationFn: async (system: BusinessSystem) => {
      const { secret, item } = takeSecret('rotated', await api.rotate(institution.id, system.clientId));
      setShown(secret);
      return item;
    },
    onSuccess: (item) => stored((old) => withSystem(old?.items, item)),
    onError: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  const revoke = useMutation({
    mutationFn: async (system: BusinessSystem) => {
      await api.revoke(institution.id, system.clientId);
      return system;
    },
    onSuccess: (system) => {
      stored((old) => withRevoked(old?.items, system.clientId));
      setShown((current) => secretAfterRevoke(current, system.clientId));
      void message.success(t('clients.revoke.done', { name: system.name }));
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: key }),
  });

  const confirmRotate = (system: BusinessSystem) =>
    modal.confirm({
      title: t('clients.rotate.confirmTitle', { name: system.name }),
      content: t('clients.rotate.confirmText'),
      okText: t('clients.rotate.action'),
      cancelText: t('common.cancel'),
      onOk: () => rotate.mutateAsync(system).catch(() => undefined),
    });
  const confirmRevoke = (system: BusinessSystem) =>
    modal.confirm({
      title: t('clients.revoke.confirmTitle', { name: system.name }),
      content: t('clients.revoke.confirmText', { name: system.name }),
      okText: t('clients.revoke.action'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => revoke.mutateAsync(system).catch(() => undefined),
    });

  const busy = rotate.isPending
    ? `rotate:${rotate.variables?.clientId}`
    : revoke.isPending
      ? `revoke:${revoke.variables?.clientId}`
      : undefined;
  const name = organizationName(institution, i18n.language);
  return (
    <>
      <p>
        <Link to={usageLink(institution.id)}>{t('clients.usageLink', { name: name.text })}</Link>
      </p>
      {shown ? (
        <div style={{ marginBottom: 20 }}>
          {/* Keyed by the secret, so that a second one shown in a row takes the focus again. */}
          <SecretPanel key={shown.clientSecret} secret={shown} onDone={() => setShown(undefined)} />
        </div>
      ) : null}
      <Card
        style={{ marginBottom: 20 }}
        title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('clients.register.title')}</h2>}
      >
        <p style={{ marginTop: 0 }}>{t('clients.register.intro')}</p>
        <RegisterForm pending={register.isPending} error={register.error} onRegister={register.mutateAsync} />
      </Card>
      <Card
        style={{ marginBottom: 20 }}
        title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('clients.list.title')}</h2>}
      >
        {systems.error ? <ProblemAlert error={systems.error} /> : null}
        {rotate.error ? <ConsoleProblem error={rotate.error} /> : null}
        {revoke.error ? <ConsoleProblem error={revoke.error} /> : null}
        <SystemsTable
          systems={systems.data?.items ?? []}
          loading={systems.isPending}
          busy={busy}
          onRotate={confirmRotate}
          onRevoke={confirmRevoke}
        />
      </Card>
      <HowTo />
    </>
  );
}

/** The sharing console: an institution's business systems (OAuth 2.0 clients, Art. 17). */
export function SharingPage() {
  const { t, i18n } = useTranslation();
  const pickerId = useId();
  const [params, setParams] = useSearchParams();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  const choices = sharingInstitutions(user, institutions.data);
  const chosen = chosenInstitution(params.get('organization'), choices);
  const institution = choices.find((c) => c.id === chosen);
  return (
    <>
      <PageHeader title={t('clients.title')} description={t('clients.intro')} />
      {institutions.error ? <ProblemAlert error={institutions.error} /> : null}
      {institutions.isPending ? <PageLoading /> : null}
      {institutions.data && choices.length === 0 ? (
        <p data-testid="sharing-no-institution">
          <EmptyText>{t('clients.noInstitution')}</EmptyText>
        </p>
      ) : null}
      {choices.length > 1 ? (
        <div className="dp-toolbar">
          <div>
            <label htmlFor={pickerId} className="dp-field-label">
              {t('clients.fields.institution')}
            </label>
            <Select<string>
              id={pickerId}
              value={chosen ?? null}
              style={{ minWidth: 320 }}
              showSearch={{ optionFilterProp: 'searchText' }}
              onChange={(id) => setParams({ organization: id })}
              options={choices.map((o) => {
                const name = organizationName(o, i18n.language);
                return {
                  value: o.id,
                  label: <span lang={name.lang}>{name.text}</span>,
                  searchText: name.text,
                };
              })}
            />
          </div>
        </div>
      ) : null}
      {institution ? (
        <>
          {choices.length === 1 ? (
            <p className="dp-meta-line">
              {t('clients.fields.institution')}
              {t('common.labelSeparator')}
              <span lang={organizationName(institution, i18n.language).lang}>
                {organizationName(institution, i18n.language).text}
              </span>
            </p>
          ) : null}
          {/* A fresh console per institution: a secret on screen never outlives the choice it was made in. */}
          <Console key={institution.id} institution={institution} />
        </>
      ) : null}
    </>
  );
}
