import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { hasPermission, PERMISSIONS, useSession } from '../auth/session.ts';
import { StateBadge } from './badges.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { SubmissionDetail, SubmissionItem } from './catalog-types.ts';
import { useChangeLabel } from './entry-history.tsx';
import { daysSince } from './format-catalog.ts';
import { localized } from './localized.ts';
import { useLabels } from './use-catalog-data.ts';
import './catalog.css';

function Decision({ submission }: { submission: SubmissionDetail }) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ comment?: string }>();
  const [entryComments, setEntryComments] = useState<Record<string, string>>({});
  const done = (text: string) => {
    void message.success(text);
    void queryClient.invalidateQueries({ queryKey: ['catalog'] });
    navigate('/catalog/review');
  };
  const approve = useMutation({
    mutationFn: (comment: string | undefined) => api.approve(submission.id, comment ? { comment } : {}),
    onSuccess: () => done(t('catalog.review.approved')),
  });
  const giveBack = useMutation({
    mutationFn: (comment: string) =>
      api.returnSubmission(submission.id, {
        comment,
        entryComments: Object.entries(entryComments)
          .map(([entryId, c]) => ({ entryId, comment: c.trim() }))
          .filter((c) => c.comment !== ''),
      }),
    onSuccess: () => done(t('catalog.review.returned')),
  });
  const comment = () => (form.getFieldValue('comment') as string | undefined)?.trim() || undefined;

  return (
    <>
      <EntriesTable submission={submission} comments={entryComments} onComment={setEntryComments} editable />
      <Card
        style={{ marginTop: 20 }}
        title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.review.decisionTitle')}</h2>}
      >
        <Form form={form} name="decision" layout="vertical">
          <Form.Item
            label={t('catalog.review.decisionComment')}
            name="comment"
            extra={t('catalog.review.decisionCommentHelp')}
          >
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
        {approve.error ? <ProblemAlert error={approve.error} /> : null}
        {giveBack.error ? <ProblemAlert error={giveBack.error} /> : null}
        <Space wrap>
          <Button
            type="primary"
            loading={approve.isPending}
            onClick={() =>
              modal.confirm({
                title: t('catalog.review.approveConfirm', { count: submission.items.length }),
                okText: t('catalog.review.approve'),
                cancelText: t('common.cancel'),
                onOk: () => approve.mutateAsync(comment()),
              })
            }
          >
            {t('catalog.review.approve')}
          </Button>
          <Button
            danger
            loading={giveBack.isPending}
            onClick={async () => {
              const text = comment();
              if (!text) {
                form.setFields([{ name: 'comment', errors: [t('catalog.review.commentRequired')] }]);
                form.scrollToField('comment', { focus: true });
                return;
              }
              form.setFields([{ name: 'comment', errors: [] }]);
              giveBack.mutate(text);
            }}
          >
            {t('catalog.review.return')}
          </Button>
        </Space>
      </Card>
    </>
  );
}

interface EntriesTableProps {
  submission: SubmissionDetail;
  editable: boolean;
  comments?: Record<string, string>;
  onComment?: (next: Record<string, string>) => void;
}

function EntriesTable({ submission, editable, comments = {}, onComment }: EntriesTableProps) {
  const { t, i18n } = useTranslation();
  const changeLabel = useChangeLabel();
  const given = new Map(submission.entryComments.map((c) => [c.entryId, c.comment]));
  return (
    <TableRegion label={t('catalog.review.entriesCaption')}>
      <Table<SubmissionItem>
        data-testid="submission-entries"
        rowKey="entryId"
        dataSource={submission.items}
        pagination={submission.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        caption={<span className="dp-table-caption">{t('catalog.review.entriesCaption')}</span>}
        locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
        columns={[
          {
            title: t('catalog.fields.title'),
            key: 'title',
            render: (_: unknown, item: SubmissionItem) => {
              const title = localized(item.title, i18n.language);
              return (
                <>
                  <Link to={`/catalog/entries/${encodeURIComponent(item.code)}`} lang={title.lang}>
                    {title.text || item.code}
                  </Link>
                  <br />
                  <span className="dp-code">{item.code}</span>
                </>
              );
            },
          },
          {
            title: t('catalog.review.change'),
            key: 'change',
            render: (_: unknown, item: SubmissionItem) =>
              item.previousVersion !== undefined ? (
                <Link
                  to={`/catalog/entries/${encodeURIComponent(item.code)}?tab=history&from=${item.previousVersion}&to=${item.version}`}
                >
                  {t('catalog.review.compare', { from: item.previousVersion, to: item.version })}
                </Link>
              ) : (
                t('catalog.review.newEntry', { version: item.version })
              ),
          },
          { title: t('catalog.review.quality'), dataIndex: 'quality', align: 'right' },
          {
            title: t('catalog.review.problems'),
            key: 'problems',
            render: (_: unknown, item: SubmissionItem) =>
              item.problems.length === 0 ? (
                t('catalog.review.meetsStandard')
              ) : (
                <ul style={{ margin: 0, paddingLeft: 16 }}>
                  {item.problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      <strong>{changeLabel(p.path)}</strong>
                      {t('common.labelSeparator')}
                      {p.message}
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            title: t('catalog.review.entryComment'),
            key: 'comment',
            render: (_: unknown, item: SubmissionItem) => {
              if (!editable) return given.get(item.entryId) ?? '—';
              const name = localized(item.title, i18n.language).text || item.code;
              return (
                <Input.TextArea
                  rows={2}
                  maxLength={4000}
                  aria-label={t('catalog.review.entryCommentFor', { name })}
                  value={comments[item.entryId] ?? ''}
                  onChange={(e) => onComment?.({ ...comments, [item.entryId]: e.target.value })}
                />
              );
            },
          },
        ]}
      />
    </TableRegion>
  );
}

/** One submission: its entries checked against the standard, and the operator's decision. */
export function SubmissionPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const api = useCatalogApi();
  const { institution } = useLabels();
  const { data: session } = useSession();
  const detail = useQuery({
    // Problems are worded in the reader's language.
    queryKey: ['catalog', 'submission', id, i18n.language],
    queryFn: ({ signal }) => api.submission(id, signal),
  });
  if (detail.isPending) return <PageLoading />;
  if (detail.error) {
    return (
      <>
        <PageHeader title={t('catalog.review.submissionTitle')} />
        <ProblemAlert error={detail.error} />
      </>
    );
  }
  const submission = detail.data;
  const org = institution(submission.organizationId);
  const canDecide = submission.state === 'pending' && hasPermission(session?.user, PERMISSIONS.catalogReview);
  return (
    <>
      <PageHeader
        title={t('catalog.review.submissionTitle')}
        description={t('catalog.review.submissionIntro', {
          count: submission.items.length,
          date: formatDateTime(submission.submittedAt, i18n.language),
          days: daysSince(submission.submittedAt),
        })}
      />
      <p>
        <Link to="/catalog/review">{t('catalog.review.backToQueue')}</Link>
      </p>
      <table className="dp-kv" style={{ marginBottom: 20 }}>
        <caption>{t('catalog.review.factsTitle')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('catalog.review.institution')}</th>
            <td lang={org.lang}>{org.text}</td>
          </tr>
          <tr>
            <th scope="row">{t('catalog.fields.state')}</th>
            <td>
              <StateBadge value={submission.state} group="submission" />
            </td>
          </tr>
          <tr>
            <th scope="row">{t('catalog.review.submitterComment')}</th>
            <td>{submission.comment || '—'}</td>
          </tr>
          {submission.state === 'pending' ? null : (
            <tr>
              <th scope="row">{t('catalog.review.reviewerComment')}</th>
              <td>{submission.reviewComment || '—'}</td>
            </tr>
          )}
          {submission.reviewedAt ? (
            <tr>
              <th scope="row">{t('catalog.review.reviewedAt')}</th>
              <td>{formatDateTime(submission.reviewedAt, i18n.language)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {submission.items.some((i) => i.problems.length > 0) ? (
        <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={t('catalog.review.hasProblems')} />
      ) : null}
      {canDecide ? (
        <Decision submission={submission} />
      ) : (
        <EntriesTable submission={submission} editable={false} />
      )}
    </>
  );
}
