import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Input, Space } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { localized } from '../catalog/localized.ts';
import { RouteExplanation, TransferStateBadge } from './transfer-badges.tsx';
import { TRANSFERS_KEY, useTransfersApi } from './transfers-api.ts';
import { mayDecideTransfers, mayRequestTransfers } from './transfers-model.ts';
import type { Transfer } from './transfers-types.ts';
import '../catalog/catalog.css';

/** One request: its route, impact assessments, submission and the security officer's decision. */
export function TransferPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const api = useTransfersApi();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [assessmentText, setAssessmentText] = useState('');
  const [comment, setComment] = useState('');
  const [reference, setReference] = useState('');
  const assessmentId = useId();
  const commentId = useId();
  const referenceId = useId();
  const key = [...TRANSFERS_KEY, 'one', id];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get(id, signal) });
  const changed = (transfer: Transfer) => {
    queryClient.setQueryData(key, transfer);
    void queryClient.invalidateQueries({ queryKey: [...TRANSFERS_KEY, 'list'] });
  };
  const addAssessment = useMutation({
    mutationFn: () => api.addAssessment(id, assessmentText),
    onSuccess: (x) => {
      setAssessmentText('');
      changed(x);
    },
  });
  const submit = useMutation({ mutationFn: () => api.submit(id), onSuccess: changed });
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      api.decide(id, {
        decision,
        ...(comment.trim() ? { comment } : {}),
        ...(reference.trim() ? { reference } : {}),
      }),
    onSuccess: changed,
  });
  if (query.error) return <ProblemAlert error={query.error} />;
  const transfer = query.data;
  if (!transfer) return <PageLoading />;
  const org = localized(transfer.organizationName, i18n.language);
  const request = mayRequestTransfers(user) && transfer.state === 'draft';
  return (
    <>
      <PageHeader title={transfer.recipient} description={`${transfer.country} · ${transfer.purpose}`} />
      <Space orientation="vertical" size={20} style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('securityTransfers.fields.organization')}>
              <span lang={org.lang}>{org.text}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('securityTransfers.fields.state')}>
              <TransferStateBadge value={transfer.state} />
            </Descriptions.Item>
            <Descriptions.Item label={t('securityTransfers.fields.entryCodes')}>
              {transfer.entryCodes.join(', ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('securityTransfers.fields.peopleCount')}>
              {transfer.peopleCount.toLocaleString(i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('securityTransfers.fields.sensitivePeopleCount')}>
              {transfer.sensitivePeopleCount.toLocaleString(i18n.language)}
            </Descriptions.Item>
            {transfer.decision.decidedAt ? (
              <Descriptions.Item label={t('securityTransfers.fields.decision')}>
                {formatDateTime(transfer.decision.decidedAt, i18n.language)} · {transfer.decision.decidedBy}
                {transfer.decision.reference ? ` · ${transfer.decision.reference}` : ''}
                {transfer.decision.comment ? ` · ${transfer.decision.comment}` : ''}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityTransfers.fields.route')}</h2>}>
          <RouteExplanation assessment={transfer.assessment} />
        </Card>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityTransfers.assessments.title')}</h2>}>
          <p>{t('securityTransfers.assessments.intro')}</p>
          <ul>
            {transfer.impactAssessments.map((a) => (
              <li key={a.id}>
                {formatDateTime(a.createdAt, i18n.language)} · {a.createdBy} ·{' '}
                {t('securityTransfers.assessments.retainUntil', { date: a.retainUntil })}
                <div style={{ whiteSpace: 'pre-wrap' }}>{a.text}</div>
              </li>
            ))}
          </ul>
          {request ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (assessmentText.trim()) addAssessment.mutate();
              }}
            >
              <label htmlFor={assessmentId} className="dp-field-label">
                {t('securityTransfers.assessments.text')}
              </label>
              <Input.TextArea
                id={assessmentId}
                rows={4}
                value={assessmentText}
                onChange={(e) => setAssessmentText(e.target.value)}
              />
              <Button htmlType="submit" style={{ marginTop: 8 }} loading={addAssessment.isPending}>
                {t('securityTransfers.assessments.add')}
              </Button>
              <ProblemAlert error={addAssessment.error} />
            </form>
          ) : null}
        </Card>
        {request ? (
          <Card>
            <Button type="primary" onClick={() => submit.mutate()} loading={submit.isPending}>
              {t('securityTransfers.detail.submit')}
            </Button>
            <ProblemAlert error={submit.error} />
          </Card>
        ) : null}
        {mayDecideTransfers(user) && transfer.state === 'submitted' ? (
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityTransfers.detail.decide')}</h2>}>
            <label htmlFor={commentId} className="dp-field-label">
              {t('securityTransfers.detail.comment')}
            </label>
            <Input.TextArea
              id={commentId}
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
            <label htmlFor={referenceId} className="dp-field-label" style={{ marginTop: 8 }}>
              {t('securityTransfers.detail.reference')}
            </label>
            <Input
              id={referenceId}
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              style={{ width: 260 }}
            />
            <Space style={{ marginTop: 12, display: 'flex' }}>
              <Button type="primary" onClick={() => decide.mutate('approve')} loading={decide.isPending}>
                {t('securityTransfers.detail.approve')}
              </Button>
              <Button danger onClick={() => decide.mutate('reject')} loading={decide.isPending}>
                {t('securityTransfers.detail.reject')}
              </Button>
            </Space>
            <ProblemAlert error={decide.error} />
          </Card>
        ) : null}
      </Space>
    </>
  );
}
