import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Select, Space } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { localized } from '../catalog/localized.ts';
import { DeadlineText, IncidentStateBadge, SeverityBadge } from './incident-badges.tsx';
import { INCIDENTS_KEY, reportDownloads, useIncidentsApi } from './incidents-api.ts';
import { laterStates, mayManageIncidents, parseRecipients } from './incidents-model.ts';
import {
  type IncidentDetail,
  type IncidentState,
  LETTER_LANGUAGES,
  type LetterLanguage,
  NOTICE_ITEMS,
  type NoticeFields,
} from './incidents-types.ts';
import '../catalog/catalog.css';
import './incidents.css';

type Api = ReturnType<typeof useIncidentsApi>;

function useChange(id: string) {
  const queryClient = useQueryClient();
  return (incident: IncidentDetail) => {
    queryClient.setQueryData([...INCIDENTS_KEY, 'one', id], incident);
    void queryClient.invalidateQueries({ queryKey: [...INCIDENTS_KEY, 'list'] });
  };
}

function StateAndReport({ incident, api }: { incident: IncidentDetail; api: Api }) {
  const { t } = useTranslation();
  const changed = useChange(incident.id);
  const [next, setNext] = useState<IncidentState | undefined>(laterStates(incident.state)[0]);
  const [note, setNote] = useState('');
  const [reference, setReference] = useState('');
  const stateId = useId();
  const noteId = useId();
  const refId = useId();
  const move = useMutation({
    mutationFn: () => api.move(incident.id, next!, note),
    onSuccess: (i) => {
      setNote('');
      setNext(laterStates(i.state)[0]);
      changed(i);
    },
  });
  const report = useMutation({ mutationFn: () => api.report(incident.id, reference), onSuccess: changed });
  const later = laterStates(incident.state);
  return (
    <Card title={<h2 className="dp-incident-card-title">{t('securityIncidents.detail.handling')}</h2>}>
      {incident.reportRequired && incident.reportedAt === null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            report.mutate();
          }}
          style={{ marginBottom: 16 }}
        >
          <label htmlFor={refId} className="dp-field-label">
            {t('securityIncidents.detail.reportReference')}
          </label>
          <Space wrap>
            <Input
              id={refId}
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              style={{ width: 220 }}
            />
            <Button htmlType="submit" type="primary" loading={report.isPending}>
              {t('securityIncidents.detail.markReported')}
            </Button>
          </Space>
          <ProblemAlert error={report.error} />
        </form>
      ) : null}
      {later.length > 0 ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (next) move.mutate();
          }}
        >
          <label htmlFor={stateId} className="dp-field-label">
            {t('securityIncidents.detail.nextState')}
          </label>
          <Select<IncidentState>
            id={stateId}
            {...(next ? { value: next } : {})}
            onChange={setNext}
            style={{ width: 200, marginBottom: 8 }}
            options={later.map((s) => ({ value: s, label: t(`securityIncidents.states.${s}`) }))}
          />
          <label htmlFor={noteId} className="dp-field-label">
            {t('securityIncidents.detail.moveNote')}
          </label>
          <Input.TextArea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          <Button htmlType="submit" style={{ marginTop: 8 }} loading={move.isPending}>
            {t('securityIncidents.detail.move')}
          </Button>
          <ProblemAlert error={move.error} />
        </form>
      ) : (
        <p>{t('securityIncidents.detail.closed')}</p>
      )}
    </Card>
  );
}

function Timeline({ incident, api, manage }: { incident: IncidentDetail; api: Api; manage: boolean }) {
  const { t, i18n } = useTranslation();
  const changed = useChange(incident.id);
  const [text, setText] = useState('');
  const noteId = useId();
  const add = useMutation({
    mutationFn: () => api.note(incident.id, text),
    onSuccess: (i) => {
      setText('');
      changed(i);
    },
  });
  return (
    <Card title={<h2 className="dp-incident-card-title">{t('securityIncidents.detail.timeline')}</h2>}>
      <ol>
        {incident.timeline.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time> · {e.author}: {e.text}
          </li>
        ))}
      </ol>
      {manage ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) add.mutate();
          }}
        >
          <label htmlFor={noteId} className="dp-field-label">
            {t('securityIncidents.detail.addNote')}
          </label>
          <Input.TextArea id={noteId} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
          <Button htmlType="submit" style={{ marginTop: 8 }} loading={add.isPending}>
            {t('securityIncidents.detail.saveNote')}
          </Button>
          <ProblemAlert error={add.error} />
        </form>
      ) : null}
    </Card>
  );
}

function Tasks({ incident, api, manage }: { incident: IncidentDetail; api: Api; manage: boolean }) {
  const { t } = useTranslation();
  const changed = useChange(incident.id);
  const [form] = Form.useForm<{ title: string; assignee?: string; dueDate?: string }>();
  const add = useMutation({
    mutationFn: (v: { title: string; assignee?: string; dueDate?: string }) =>
      api.addTask(incident.id, {
        title: v.title,
        ...(v.assignee ? { assignee: v.assignee } : {}),
        ...(v.dueDate ? { dueDate: v.dueDate } : {}),
      }),
    onSuccess: (i) => {
      form.resetFields();
      changed(i);
    },
  });
  const toggle = useMutation({
    mutationFn: (v: { id: string; done: boolean }) => api.setTaskDone(v.id, v.done),
    onSuccess: changed,
  });
  return (
    <Card title={<h2 className="dp-incident-card-title">{t('securityIncidents.detail.tasks')}</h2>}>
      {incident.tasks.length === 0 ? <p>{t('securityIncidents.detail.noTasks')}</p> : null}
      <ul style={{ listStyle: 'none', paddingLeft: 0 }}>
        {incident.tasks.map((task) => (
          <li key={task.id}>
            <Checkbox
              checked={task.done}
              disabled={!manage}
              onChange={(e) => toggle.mutate({ id: task.id, done: e.target.checked })}
            >
              {task.title}
              {task.assignee ? ` · ${task.assignee}` : ''}
              {task.dueDate ? ` · ${t('securityIncidents.detail.due', { date: task.dueDate })}` : ''}
            </Checkbox>
          </li>
        ))}
      </ul>
      <ProblemAlert error={toggle.error} />
      {manage ? (
        <Form form={form} layout="vertical" name="new-task" onFinish={(v) => add.mutate(v)}>
          <Form.Item
            label={t('securityIncidents.detail.taskTitle')}
            name="title"
            rules={[{ required: true, message: t('securityIncidents.detail.taskTitleRequired') }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <Space wrap>
            <Form.Item label={t('securityIncidents.detail.assignee')} name="assignee">
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item label={t('securityIncidents.detail.dueDate')} name="dueDate">
              <Input type="date" style={{ width: 180 }} />
            </Form.Item>
          </Space>
          <Button htmlType="submit" loading={add.isPending}>
            {t('securityIncidents.detail.addTask')}
          </Button>
          <ProblemAlert error={add.error} />
        </Form>
      ) : null}
    </Card>
  );
}

function NoticeEditor({ incident, api }: { incident: IncidentDetail; api: Api }) {
  const { t } = useTranslation();
  const changed = useChange(incident.id);
  const save = useMutation({
    mutationFn: (v: { remediation: string; notice: NoticeFields }) => api.update(incident.id, v),
    onSuccess: changed,
  });
  return (
    <Card title={<h2 className="dp-incident-card-title">{t('securityIncidents.notice.legend')}</h2>}>
      <Form
        layout="vertical"
        name="incident-notice"
        initialValues={{ remediation: incident.remediation, notice: incident.notice }}
        onFinish={(v: { remediation: string; notice: NoticeFields }) => save.mutate(v)}
      >
        <Form.Item label={t('securityIncidents.fields.remediation')} name="remediation">
          <Input.TextArea rows={3} />
        </Form.Item>
        {NOTICE_ITEMS.map((item) => (
          <Form.Item key={item} label={t(`securityIncidents.notice.${item}`)} name={['notice', item]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        ))}
        <Button htmlType="submit" loading={save.isPending}>
          {t('securityIncidents.detail.save')}
        </Button>
        {save.isSuccess ? (
          <span role="status" style={{ marginLeft: 12 }}>
            {t('securityIncidents.detail.saved')}
          </span>
        ) : null}
        <ProblemAlert error={save.error} />
      </Form>
    </Card>
  );
}

function Letters({ incident, api, manage }: { incident: IncidentDetail; api: Api; manage: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [language, setLanguage] = useState<LetterLanguage>('zh-CN');
  const [addresses, setAddresses] = useState('');
  const languageId = useId();
  const addressesId = useId();
  const preview = useQuery({
    queryKey: [...INCIDENTS_KEY, 'preview', incident.id, language, incident.updatedAt],
    queryFn: ({ signal }) => api.preview(incident.id, language, signal),
  });
  const parsed = parseRecipients(addresses);
  const send = useMutation({
    mutationFn: () => api.sendLetter(incident.id, language, parsed.valid),
    onSuccess: () => {
      setAddresses('');
      void queryClient.invalidateQueries({ queryKey: [...INCIDENTS_KEY, 'one', incident.id] });
    },
  });
  const missing = preview.data?.missing ?? [];
  return (
    <Card title={<h2 className="dp-incident-card-title">{t('securityIncidents.letters.title')}</h2>}>
      <p>{t('securityIncidents.letters.intro')}</p>
      <label htmlFor={languageId} className="dp-field-label">
        {t('securityIncidents.letters.language')}
      </label>
      <Select<LetterLanguage>
        id={languageId}
        value={language}
        onChange={setLanguage}
        style={{ width: 180, marginBottom: 12 }}
        options={LETTER_LANGUAGES.map((l) => ({
          value: l,
          label: t(`securityIncidents.letters.languages.${l}`),
        }))}
      />
      <ProblemAlert error={preview.error} />
      {preview.data ? (
        <section aria-label={t('securityIncidents.letters.preview')}>
          <h3 style={{ fontSize: 16 }}>{preview.data.subject}</h3>
          <pre className="dp-letter-preview" lang={language}>
            {preview.data.text}
          </pre>
        </section>
      ) : null}
      {missing.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={t('securityIncidents.letters.missing')}
          description={
            <ul>
              {missing.map((m) => (
                <li key={m}>{t(`securityIncidents.notice.${m}`)}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {manage ? (
        <form
          style={{ marginTop: 12 }}
          onSubmit={(e) => {
            e.preventDefault();
            if (parsed.valid.length > 0 && parsed.invalid.length === 0) send.mutate();
          }}
        >
          <label htmlFor={addressesId} className="dp-field-label">
            {t('securityIncidents.letters.recipients')}
          </label>
          <Input.TextArea
            id={addressesId}
            rows={4}
            value={addresses}
            onChange={(e) => setAddresses(e.target.value)}
            aria-describedby={`${addressesId}-help`}
          />
          <div id={`${addressesId}-help`}>
            {t('securityIncidents.letters.recipientsHelp', { count: parsed.valid.length })}
            {parsed.invalid.length > 0 ? (
              <span className="dp-overdue" role="alert">
                {' '}
                {t('securityIncidents.letters.invalid', { list: parsed.invalid.join(', ') })}
              </span>
            ) : null}
          </div>
          <Button
            htmlType="submit"
            type="primary"
            style={{ marginTop: 8 }}
            disabled={missing.length > 0 || parsed.valid.length === 0 || parsed.invalid.length > 0}
            loading={send.isPending}
          >
            {t('securityIncidents.letters.send')}
          </Button>
          {send.isSuccess ? (
            <span role="status" style={{ marginLeft: 12 }}>
              {t('securityIncidents.letters.queued')}
            </span>
          ) : null}
          <ProblemAlert error={send.error} />
        </form>
      ) : null}
      {incident.letters.length > 0 ? (
        <ul style={{ marginTop: 12 }}>
          {incident.letters.map((l) => (
            <li key={l.id}>
              {formatDateTime(l.createdAt, i18n.language)} ·{' '}
              {t('securityIncidents.letters.counts', { total: l.recipients, sent: l.sent, failed: l.failed })}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

/** One incident: its facts and deadline, handling, timeline, tasks, notice letters and the report export. */
export function IncidentPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const api = useIncidentsApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const query = useQuery({
    queryKey: [...INCIDENTS_KEY, 'one', id],
    queryFn: ({ signal }) => api.get(id, signal),
  });
  if (query.error) return <ProblemAlert error={query.error} />;
  const incident = query.data;
  if (!incident) return <PageLoading />;
  const manage = mayManageIncidents(user) && incident.state !== 'closed';
  const downloads = reportDownloads(incident.id);
  const org = localized(incident.organizationName, i18n.language);
  return (
    <>
      <PageHeader
        title={incident.title}
        description={t(`securityIncidents.kinds.${incident.kind}`)}
        extra={
          <Space>
            <a href={downloads.json} download>
              {t('securityIncidents.detail.exportJson')}
            </a>
            <a href={downloads.md} download>
              {t('securityIncidents.detail.exportMd')}
            </a>
          </Space>
        }
      />
      <Card style={{ marginBottom: 20 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('securityIncidents.fields.organization')}>
            <span lang={org.lang}>{org.text}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.state')}>
            <IncidentStateBadge value={incident.state} />
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.severity')}>
            <SeverityBadge value={incident.severity} />{' '}
            {incident.severity !== incident.proposedSeverity
              ? t('securityIncidents.detail.proposed', {
                  severity: t(`securityIncidents.severity.${incident.proposedSeverity}`),
                })
              : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.deadline')}>
            <DeadlineText incident={incident} />
            {incident.deadlineAt ? ` (${formatDateTime(incident.deadlineAt, i18n.language)})` : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.detectedAt')}>
            {formatDateTime(incident.detectedAt, i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.peopleAffected')}>
            {incident.peopleAffected.toLocaleString(i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.cii')}>
            {incident.cii ? t('securityIncidents.detail.yes') : t('securityIncidents.detail.no')}
          </Descriptions.Item>
          <Descriptions.Item label={t('securityIncidents.fields.entryCodes')}>
            {incident.dataConcerned.length === 0
              ? '—'
              : incident.dataConcerned.map((d) => `${d.code} (${d.grade})`).join(', ')}
          </Descriptions.Item>
          {incident.deadlineRule ? (
            <Descriptions.Item label={t('securityIncidents.fields.deadlineRule')}>
              {incident.deadlineRule}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {incident.description ? <p style={{ whiteSpace: 'pre-wrap' }}>{incident.description}</p> : null}
      </Card>
      <div className="dp-incident-grid">
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          {manage ? <StateAndReport incident={incident} api={api} /> : null}
          <Timeline incident={incident} api={api} manage={manage} />
          <Tasks incident={incident} api={api} manage={manage} />
        </Space>
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          {manage ? <NoticeEditor incident={incident} api={api} /> : null}
          <Letters incident={incident} api={api} manage={manage} />
        </Space>
      </div>
    </>
  );
}
