import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Radio, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { PageLoading } from '../../app/status-pages.tsx';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { useCatalogApi } from '../catalog/catalog-api.ts';
import { localized } from '../catalog/localized.ts';
import { ACCESS_KEY, useAccessApi } from './access-api.ts';
import {
  ApplicationStateBadge,
  DeadlineText,
  EntryTitle,
  OperationsText,
  OverdueBadge,
  providerShown,
} from './access-badges.tsx';
import type { Application, ReviewDecision } from './access-types.ts';
import {
  abilitiesOf,
  centreReviewRequest,
  isOpen,
  isOverdue,
  type ReplyValues,
  type ReviewValues,
  replyRequest,
  reviewRequest,
} from './application-rules.ts';
import { problemCode } from './problem-codes.ts';
import '../catalog/catalog.css';
import './access.css';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function actorName(actor: string, application: Application): string {
  const id = actor.startsWith('user:') ? actor.slice(5) : actor;
  return id === application.applicant.userId ? application.applicant.username : id;
}

/** Everything the applicant asked for, as a two-column table. */
function Facts({ application }: { application: Application }) {
  const { t, i18n } = useTranslation();
  const provider = providerShown(application.providerName, i18n.language);
  const sep = t('common.listSeparator');
  return (
    <table className="dp-kv" data-testid="application-facts" style={{ marginBottom: 20 }}>
      <caption>{t('access.detail.factsCaption')}</caption>
      <tbody>
        <Row label={t('access.fields.entry')}>
          <Link to={`/catalog/entries/${encodeURIComponent(application.entryCode)}`}>
            <EntryTitle title={application.entryTitle} code={application.entryCode} />
          </Link>{' '}
          <span className="dp-code">{application.entryCode}</span>
        </Row>
        <Row label={t('access.fields.kind')}>{t(`access.kinds.${application.kind}`)}</Row>
        <Row label={t('access.fields.provider')}>
          <span lang={provider.lang}>{provider.text}</span>
        </Row>
        <Row label={t('access.fields.state')}>
          <Space wrap size={4}>
            <ApplicationStateBadge value={application.state} />
            {isOverdue(application) ? <OverdueBadge /> : null}
          </Space>
        </Row>
        {isOpen(application.state) ? (
          <Row label={t('access.fields.reviewDeadline')}>
            <DeadlineText at={application.reviewDeadline} />
          </Row>
        ) : null}
        <Row label={t('access.fields.applicant')}>
          {t(`access.applicantKinds.${application.applicant.kind}`)}
          {t('common.labelSeparator')}
          {application.applicant.name}
          {application.applicant.creditCode ? (
            <span className="dp-mono"> ({application.applicant.creditCode})</span>
          ) : null}
          <br />
          <span className="dp-meta-line">
            {t('access.detail.account', { username: application.applicant.username })}
          </span>
        </Row>
        <Row label={t('access.fields.purpose')}>
          <span style={{ whiteSpace: 'pre-line' }}>{application.purpose}</span>
        </Row>
        <Row label={t('access.fields.scenario')}>
          <span style={{ whiteSpace: 'pre-line' }}>{application.scenario}</span>
        </Row>
        <Row label={t('access.fields.fields')}>
          <span className="dp-mono">{application.fields.join(sep)}</span>
        </Row>
        <Row label={t('access.fields.operations')}>
          <OperationsText operations={application.operations} />
        </Row>
        <Row label={t('access.fields.period')}>
          {t('access.period', {
            start: formatDate(application.periodStart, i18n.language),
            end: formatDate(application.periodEnd, i18n.language),
          })}
        </Row>
        <Row label={t('access.fields.securityMeasures')}>
          <span style={{ whiteSpace: 'pre-line' }}>{application.securityMeasures}</span>
        </Row>
        <Row label={t('access.fields.grade')}>
          {t('access.detail.grade', { grade: application.grade })}
          {application.needsCentre ? (
            <>
              <br />
              {t('access.detail.needsCentre')}
            </>
          ) : null}
        </Row>
        <Row label={t('access.fields.terms')}>
          {t('access.detail.termsAccepted', {
            version: application.terms.version,
            date: formatDateTime(application.terms.acceptedAt, i18n.language),
          })}
          <br />
          <span className="dp-mono">{application.terms.hash}</span>
        </Row>
        {application.grantId ? (
          <Row label={t('access.detail.grant')}>
            <Link to="/access/grants">{t('access.detail.seeGrant')}</Link>
          </Row>
        ) : null}
      </tbody>
    </table>
  );
}

function History({ application }: { application: Application }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="application-history" style={{ marginBottom: 20 }}>
      <h2 id="application-history" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('access.detail.historyTitle')}
      </h2>
      <ol className="dp-timeline" data-testid="application-history">
        {application.history.map((event) => (
          <li key={`${event.at}-${event.action}`}>
            <strong>{t(`access.history.${event.action}`, { defaultValue: event.action })}</strong>
            <span className="dp-meta-line">
              {' · '}
              <time dateTime={event.at}>{formatDateTime(event.at, i18n.language)}</time>
              {' · '}
              {actorName(event.actor, application)}
            </span>
            {event.comment ? (
              <p style={{ margin: '4px 0 0', whiteSpace: 'pre-line' }}>{event.comment}</p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The refusal explained: a reviewer from the applicant's own organisation may not decide. */
function ActionError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = problemCode(error);
  if (code === 'own-institution')
    return <Alert type="error" showIcon role="alert" title={t('access.review.ownInstitution')} />;
  if (code === 'wrong-state')
    return <Alert type="error" showIcon role="alert" title={t('access.detail.wrongState')} />;
  return <ProblemAlert error={error} />;
}

function useApplicationUpdate(id: string) {
  const queryClient = useQueryClient();
  return (application: Application) => {
    queryClient.setQueryData([...ACCESS_KEY, 'application', id], application);
    void queryClient.invalidateQueries({ queryKey: ACCESS_KEY });
  };
}

/** The provider's decision: approve (optionally narrowed), reject with a reason, or ask for more. */
function ReviewCard({ application }: { application: Application }) {
  const { t } = useTranslation();
  const api = useAccessApi();
  const { message, modal } = App.useApp();
  const update = useApplicationUpdate(application.id);
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form) ?? 'approve';
  const review = useMutation({
    mutationFn: (body: Parameters<typeof api.review>[1]) => api.review(application.id, body),
    onSuccess: (next) => {
      update(next);
      void message.success(t(`access.review.done.${next.state}`, { defaultValue: t('access.review.saved') }));
    },
  });
  const decide = (values: ReviewValues) => {
    const built = reviewRequest(application, values);
    if (built.request === undefined) {
      form.setFields([
        { name: built.problem.field, errors: [t(`access.review.invalid.${built.problem.key}`)] },
      ]);
      form.scrollToField(built.problem.field, { focus: true });
      return;
    }
    const request = built.request;
    if (request.decision === 'ask') {
      review.mutate(request);
      return;
    }
    modal.confirm({
      title: t(`access.review.confirm.${request.decision}`),
      okText: t(`access.review.decisions.${request.decision}`),
      okButtonProps: request.decision === 'reject' ? { danger: true } : {},
      cancelText: t('common.cancel'),
      // The refusal shows on the page (review.error); the dialog just closes.
      onOk: () => review.mutateAsync(request).catch(() => undefined),
    });
  };
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('access.review.decisionTitle')}</h2>}>
      <Form<ReviewValues>
        form={form}
        name="review"
        layout="vertical"
        initialValues={{ decision: 'approve', fields: application.fields, periodEnd: application.periodEnd }}
        onFinish={decide}
      >
        <Form.Item label={t('access.review.decision')} name="decision" required>
          <Radio.Group
            aria-label={t('access.review.decision')}
            options={(['approve', 'reject', 'ask'] as ReviewDecision[]).map((d) => ({
              value: d,
              label: t(`access.review.decisions.${d}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t(`access.review.commentLabels.${decision}`)}
          name="comment"
          required={decision !== 'approve'}
        >
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        {decision === 'approve' ? (
          <>
            <Form.Item
              label={t('access.review.grantFields')}
              name="fields"
              extra={t('access.review.narrowHelp')}
            >
              <CheckboxGroupField
                label={t('access.review.grantFields')}
                options={application.fields.map((f) => ({ value: f, label: <code>{f}</code> }))}
              />
            </Form.Item>
            <Form.Item
              label={t('access.review.grantUntil')}
              name="periodEnd"
              extra={t('access.review.grantUntilHelp')}
            >
              <Input
                type="date"
                min={application.periodStart}
                max={application.periodEnd}
                style={{ maxWidth: 220 }}
              />
            </Form.Item>
          </>
        ) : null}
        <ActionError error={review.error} />
        <Button
          type="primary"
          htmlType="submit"
          danger={decision === 'reject'}
          loading={review.isPending}
          style={{ marginTop: 12 }}
        >
          {t(`access.review.decisions.${decision}`)}
        </Button>
      </Form>
    </Card>
  );
}

/** The big data centre's second decision on important data. */
function CentreCard({ application }: { application: Application }) {
  const { t } = useTranslation();
  const api = useAccessApi();
  const { message } = App.useApp();
  const update = useApplicationUpdate(application.id);
  const [form] = Form.useForm<{ comment?: string }>();
  const review = useMutation({
    mutationFn: (body: Parameters<typeof api.centreReview>[1]) => api.centreReview(application.id, body),
    onSuccess: (next) => {
      update(next);
      void message.success(t('access.review.saved'));
    },
  });
  const decide = (decision: 'approve' | 'reject') => {
    const built = centreReviewRequest(decision, form.getFieldValue('comment') as string | undefined);
    if (built.request === undefined) {
      form.setFields([{ name: 'comment', errors: [t(`access.review.invalid.${built.problem}`)] }]);
      form.scrollToField('comment', { focus: true });
      return;
    }
    form.setFields([{ name: 'comment', errors: [] }]);
    review.mutate(built.request);
  };
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('access.centre.decisionTitle')}</h2>}>
      <p style={{ marginTop: 0 }}>{t('access.centre.decisionIntro')}</p>
      <Form form={form} name="centre-review" layout="vertical">
        <Form.Item label={t('access.centre.comment')} name="comment" extra={t('access.centre.commentHelp')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </Form>
      <ActionError error={review.error} />
      <Space wrap style={{ marginTop: 12 }}>
        <Button
          type="primary"
          loading={review.isPending && review.variables?.decision === 'approve'}
          onClick={() => decide('approve')}
        >
          {t('access.centre.approve')}
        </Button>
        <Button
          danger
          loading={review.isPending && review.variables?.decision === 'reject'}
          onClick={() => decide('reject')}
        >
          {t('access.centre.reject')}
        </Button>
      </Space>
    </Card>
  );
}

/** The applicant answers the provider's question, changing what they asked for if needed. */
function ReplyCard({ application }: { application: Application }) {
  const { t } = useTranslation();
  const api = useAccessApi();
  const catalog = useCatalogApi();
  const { message } = App.useApp();
  const update = useApplicationUpdate(application.id);
  const [form] = Form.useForm<ReplyValues>();
  const entry = useQuery({
    queryKey: ['catalog', 'entry', application.entryCode],
    queryFn: ({ signal }) => catalog.entry(application.entryCode, signal),
  });
  const names = entry.data?.entry.metadata.informationItems.map((i) => i.name) ?? application.fields;
  const question = [...application.history].reverse().find((e) => e.action === 'asked');
  const reply = useMutation({
    mutationFn: (body: Parameters<typeof api.reply>[1]) => api.reply(application.id, body),
    onSuccess: (next) => {
      update(next);
      void message.success(t('access.reply.sent'));
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      form.setFields(
        error.errors.flatMap((e) => {
          const name = e.path.split(/[/.]/).filter(Boolean).pop();
          return name &&
            [
              'comment',
              'purpose',
              'scenario',
              'securityMeasures',
              'fields',
              'periodStart',
              'periodEnd',
            ].includes(name)
            ? [{ name: name as keyof ReplyValues, errors: [e.message] }]
            : [];
        }),
      );
    },
  });
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('access.reply.title')}</h2>}>
      {question?.comment ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('access.reply.question')}
          description={<span style={{ whiteSpace: 'pre-line' }}>{question.comment}</span>}
        />
      ) : null}
      <Form<ReplyValues>
        form={form}
        name="reply"
        layout="vertical"
        initialValues={{
          purpose: application.purpose,
          scenario: application.scenario,
          securityMeasures: application.securityMeasures,
          fields: application.fields,
          periodStart: application.periodStart,
          periodEnd: application.periodEnd,
        }}
        onFinish={(values) => {
          const built = replyRequest(application, values);
          if (built.request === undefined) {
            form.setFields([{ name: 'comment', errors: [t(`access.reply.invalid.${built.problem}`)] }]);
            form.scrollToField('comment', { focus: true });
            return;
          }
          reply.mutate(built.request);
        }}
      >
        <Form.Item label={t('access.reply.comment')} name="comment" required>
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        <p className="dp-meta-line">{t('access.reply.changeHelp')}</p>
        <Form.Item label={t('access.fields.purpose')} name="purpose">
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item label={t('access.fields.scenario')} name="scenario">
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item label={t('access.fields.securityMeasures')} name="securityMeasures">
          <Input.TextArea rows={3} maxLength={8000} />
        </Form.Item>
        <Form.Item label={t('access.fields.fields')} name="fields">
          <CheckboxGroupField
            label={t('access.fields.fields')}
            options={names.map((n) => ({ value: n, label: <code>{n}</code> }))}
          />
        </Form.Item>
        <Space wrap size="large" align="start">
          <Form.Item label={t('access.fields.periodStart')} name="periodStart">
            <Input type="date" />
          </Form.Item>
          <Form.Item label={t('access.fields.periodEnd')} name="periodEnd">
            <Input type="date" />
          </Form.Item>
        </Space>
        <ActionError
          error={reply.error instanceof ApiError && reply.error.errors.length > 0 ? undefined : reply.error}
        />
        <Button type="primary" htmlType="submit" loading={reply.isPending} style={{ marginTop: 12 }}>
          {t('access.reply.send')}
        </Button>
      </Form>
    </Card>
  );
}

function WithdrawButton({ application }: { application: Application }) {
  const { t } = useTranslation();
  const api = useAccessApi();
  const { message, modal } = App.useApp();
  const update = useApplicationUpdate(application.id);
  const withdraw = useMutation({
    mutationFn: () => api.withdraw(application.id),
    onSuccess: (next) => {
      update(next);
      void message.success(t('access.withdraw.done'));
    },
  });
  return (
    <>
      <Button
        danger
        loading={withdraw.isPending}
        onClick={() =>
          modal.confirm({
            title: t('access.withdraw.confirmTitle'),
            content: t('access.withdraw.confirmText'),
            okText: t('access.withdraw.action'),
            okButtonProps: { danger: true },
            cancelText: t('common.cancel'),
            onOk: () => withdraw.mutateAsync().catch(() => undefined),
          })
        }
      >
        {t('access.withdraw.action')}
      </Button>
      <ActionError error={withdraw.error} />
    </>
  );
}

function Actions({ application, user }: { application: Application; user: SessionUser | undefined }) {
  const can = abilitiesOf(application, user);
  if (!can.reply && !can.withdraw && !can.review && !can.centreReview) return null;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {can.review ? <ReviewCard application={application} /> : null}
      {can.centreReview ? <CentreCard application={application} /> : null}
      {can.reply ? <ReplyCard application={application} /> : null}
      {can.withdraw ? <WithdrawButton application={application} /> : null}
    </Space>
  );
}

/** One application: what was asked, its history, and what the reader may do now. */
export function ApplicationPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const api = useAccessApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const application = useQuery({
    queryKey: [...ACCESS_KEY, 'application', id],
    queryFn: ({ signal }) => api.application(id, signal),
  });
  if (application.isPending) return <PageLoading />;
  if (application.error) {
    return (
      <>
        <PageHeader title={t('access.detail.title')} />
        <ProblemAlert error={application.error} messages={{ 404: t('access.detail.notFound') }} />
        <p>
          <Link to="/access/applications">{t('access.detail.backToMine')}</Link>
        </p>
      </>
    );
  }
  const data = application.data;
  const mine = user?.id === data.applicant.userId;
  const title = localized(data.entryTitle, i18n.language);
  return (
    <>
      <PageHeader
        title={t('access.detail.titleFor', { title: title.text || data.entryCode })}
        description={t('access.detail.intro', { date: formatDateTime(data.createdAt, i18n.language) })}
      />
      <p>
        {mine ? (
          <Link to="/access/applications">{t('access.detail.backToMine')}</Link>
        ) : (
          <Link to="/access/review">{t('access.detail.backToQueue')}</Link>
        )}
      </p>
      <Facts application={data} />
      <History application={data} />
      <Actions application={data} user={user} />
    </>
  );
}
