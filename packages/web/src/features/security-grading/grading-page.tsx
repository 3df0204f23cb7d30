import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import type { Grade } from '../catalog/catalog-types.ts';
import { localized } from '../catalog/localized.ts';
import {
  datasetLevel,
  draftBody,
  type FieldRow,
  incompleteFields,
  initialRows,
  levelOf,
  proposalsByField,
} from './grading-levels.ts';
import { SECURITY_KEY, useSecurityApi } from './security-api.ts';
import {
  type DatasetAssessment,
  type GradingView,
  HARMS,
  type Harm,
  IMPACT_OBJECTS,
  type ImpactObject,
} from './security-types.ts';
import '../catalog/catalog.css';
import './security.css';

function LevelText({ level }: { level: Grade | undefined }) {
  const { t } = useTranslation();
  return (
    <span className="dp-security-level" aria-live="polite">
      {level ? t(`securityGrading.grades.${level}`) : t('securityGrading.grading.notYet')}
    </span>
  );
}

function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  const color =
    state === 'confirmed'
      ? 'green'
      : state === 'proposed'
        ? 'blue'
        : state === 'returned'
          ? 'orange'
          : 'default';
  return <Tag color={color}>{t(`securityGrading.states.${state}`)}</Tag>;
}

function Editor({ view }: { view: GradingView }) {
  const { t, i18n } = useTranslation();
  const api = useSecurityApi();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const matrix = useQuery({
    queryKey: [...SECURITY_KEY, 'matrix'],
    queryFn: ({ signal }) => api.matrix(signal),
  });
  const [rows, setRows] = useState<FieldRow[]>(() => initialRows(view));
  const [dataset, setDataset] = useState<Partial<DatasetAssessment>>(() => view.grading?.dataset ?? {});
  const [comment, setComment] = useState('');
  const commentId = useId();
  useEffect(() => {
    setRows(initialRows(view));
    setDataset(view.grading?.dataset ?? {});
  }, [view]);
  const code = view.entry.code;
  const refresh = (next: GradingView) => {
    queryClient.setQueryData([...SECURITY_KEY, 'grading', code], next);
    void queryClient.invalidateQueries({ queryKey: [...SECURITY_KEY, 'dashboard'] });
  };
  const save = useMutation({
    mutationFn: () => api.saveDraft(code, draftBody(rows, dataset)),
    onSuccess: (next) => {
      refresh(next);
      void message.success(t('securityGrading.grading.saved'));
    },
  });
  const submit = useMutation({
    mutationFn: async () => {
      await api.saveDraft(code, draftBody(rows, dataset));
      return api.submit(code);
    },
    onSuccess: (next) => {
      refresh(next);
      void message.success(t('securityGrading.grading.submitted'));
    },
  });
  const review = useMutation({
    mutationFn: (decision: 'confirm' | 'return') =>
      api.review(code, { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    onSuccess: (next) => {
      setComment('');
      refresh(next);
      void message.success(
        t(`securityGrading.grading.${next.grading?.state === 'confirmed' ? 'confirmed' : 'returned'}`),
      );
    },
  });
  const m = matrix.data?.matrix;
  const proposals = proposalsByField(view.grading?.proposals);
  const titles = new Map(view.entry.fields.map((f) => [f.name, f]));
  const editable = view.can.edit;
  const missing = incompleteFields(rows);
  const update = (index: number, change: Partial<FieldRow>) =>
    setRows((current) => current.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const impactOptions = IMPACT_OBJECTS.map((v) => ({ value: v, label: t(`securityGrading.impacts.${v}`) }));
  const harmOptions = HARMS.map((v) => ({ value: v, label: t(`securityGrading.harms.${v}`) }));
  const caption = t('securityGrading.grading.fieldsCaption');
  const fieldName = (name: string) => {
    const f = titles.get(name);
    return f?.title ? `${localized(f.title, i18n.language).text} (${name})` : name;
  };
  return (
    <>
      {matrix.error ? <ProblemAlert error={matrix.error} /> : null}
      <Card style={{ marginBottom: 20 }}>
        <TableRegion label={caption}>
          <Table<FieldRow>
            data-testid="grading-fields"
            rowKey="field"
            dataSource={rows}
            pagination={false}
            caption={<span className="dp-table-caption">{caption}</span>}
            columns={[
              {
                title: t('securityGrading.fields.field'),
                key: 'field',
                render: (_: unknown, r: FieldRow) => {
                  const f = titles.get(r.field);
                  return (
                    <div>
                      <div>{fieldName(r.field)}</div>
                      <div className="dp-security-proposal">
                        {t('securityGrading.grading.catalogGrade', {
                          grade: f ? t(`securityGrading.grades.${f.grade}`) : '—',
                        })}
                      </div>
                    </div>
                  );
                },
              },
              {
                title: t('securityGrading.fields.impact'),
                key: 'impact',
                render: (_: unknown, r: FieldRow, i: number) => (
                  <Select<ImpactObject>
                    aria-label={t('securityGrading.grading.impactFor', { name: r.field })}
                    style={{ minWidth: 170 }}
                    value={r.impact ?? null}
                    disabled={!editable}
                    options={impactOptions}
                    onChange={(impact) => update(i, { impact })}
                  />
                ),
              },
              {
                title: t('securityGrading.fields.harm'),
                key: 'harm',
                render: (_: unknown, r: FieldRow, i: number) => (
                  <Select<Harm>
                    aria-label={t('securityGrading.grading.harmFor', { name: r.field })}
                    style={{ minWidth: 120 }}
                    value={r.harm ?? null}
                    disabled={!editable}
                    options={harmOptions}
                    onChange={(harm) => update(i, { harm })}
                  />
                ),
              },
              {
                title: t('securityGrading.fields.level'),
                key: 'level',
                render: (_: unknown, r: FieldRow) => <LevelText level={levelOf(m, r.impact, r.harm)} />,
              },
              {
                title: t('securityGrading.fields.rationale'),
                key: 'rationale',
                render: (_: unknown, r: FieldRow, i: number) => (
                  <Input.TextArea
                    aria-label={t('securityGrading.grading.rationaleFor', { name: r.field })}
                    rows={2}
                    maxLength={4000}
                    value={r.rationale}
                    disabled={!editable}
                    onChange={(e) => update(i, { rationale: e.target.value })}
                  />
                ),
              },
              {
                title: t('securityGrading.fields.proposals'),
                key: 'proposals',
                render: (_: unknown, r: FieldRow) => {
                  const list = proposals.get(r.field) ?? [];
                  if (list.length === 0) return '—';
                  return (
                    <ul className="dp-security-proposal" style={{ margin: 0, paddingInlineStart: 16 }}>
                      {list.map((p) => (
                        <li key={`${p.grade}-${p.personalInfo}-${p.reason}`}>
                          {t('securityGrading.grading.proposal', {
                            grade: t(`securityGrading.grades.${p.grade}`),
                            personalInfo: t(`securityGrading.personalInfo.${p.personalInfo}`),
                            reason: p.reason,
                          })}
                        </li>
                      ))}
                    </ul>
                  );
                },
              },
            ]}
          />
        </TableRegion>
      </Card>
      <Card
        style={{ marginBottom: 20 }}
        title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityGrading.grading.datasetTitle')}</h2>}
      >
        <p>{t('securityGrading.grading.datasetIntro')}</p>
        <Space wrap align="start">
          <Select<ImpactObject>
            aria-label={t('securityGrading.grading.datasetImpact')}
            placeholder={t('securityGrading.fields.impact')}
            style={{ minWidth: 200 }}
            allowClear
            value={dataset.impact ?? null}
            disabled={!editable}
            options={impactOptions}
            onChange={(impact) => setDataset(({ impact: _old, ...d }) => (impact ? { ...d, impact } : d))}
          />
          <Select<Harm>
            aria-label={t('securityGrading.grading.datasetHarm')}
            placeholder={t('securityGrading.fields.harm')}
            style={{ minWidth: 140 }}
            allowClear
            value={dataset.harm ?? null}
            disabled={!editable}
            options={harmOptions}
            onChange={(harm) => setDataset(({ harm: _old, ...d }) => (harm ? { ...d, harm } : d))}
          />
          <Input.TextArea
            aria-label={t('securityGrading.grading.datasetRationale')}
            placeholder={t('securityGrading.fields.rationale')}
            style={{ minWidth: 320 }}
            rows={2}
            maxLength={4000}
            value={dataset.rationale ?? ''}
            disabled={!editable}
            onChange={(e) => setDataset((d) => ({ ...d, rationale: e.target.value }))}
          />
        </Space>
        <p style={{ marginTop: 16 }} data-testid="dataset-level">
          {t('securityGrading.grading.datasetLevel')}: <LevelText level={datasetLevel(m, rows, dataset)} />
        </p>
      </Card>
      {editable ? (
        <Card style={{ marginBottom: 20 }}>
          {missing.length > 0 ? (
            <p className="dp-security-proposal">
              {t('securityGrading.grading.missing', { fields: missing.join(', ') })}
            </p>
          ) : null}
          <Space wrap>
            <Button onClick={() => save.mutate()} loading={save.isPending}>
              {t('securityGrading.grading.save')}
            </Button>
            <Button
              type="primary"
              onClick={() => submit.mutate()}
              loading={submit.isPending}
              disabled={missing.length > 0}
            >
              {t('securityGrading.grading.submit')}
            </Button>
          </Space>
          <ProblemAlert error={save.error ?? submit.error} />
        </Card>
      ) : null}
      {view.can.confirm ? (
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityGrading.grading.reviewTitle')}</h2>}>
          <label htmlFor={commentId} className="dp-field-label">
            {t('securityGrading.grading.comment')}
          </label>
          <Input.TextArea
            id={commentId}
            rows={3}
            maxLength={4000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <Space wrap style={{ marginTop: 12 }}>
            <Button type="primary" onClick={() => review.mutate('confirm')} loading={review.isPending}>
              {t('securityGrading.grading.confirm')}
            </Button>
            <Button danger onClick={() => review.mutate('return')} disabled={comment.trim() === ''}>
              {t('securityGrading.grading.return')}
            </Button>
          </Space>
          <ProblemAlert error={review.error} />
        </Card>
      ) : null}
    </>
  );
}

/** An entry's grading by GB/T 43697-2024: per field, impact object, harm, the level it gives, and why. */
export function GradingPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const api = useSecurityApi();
  const view = useQuery({
    queryKey: [...SECURITY_KEY, 'grading', code],
    queryFn: ({ signal }) => api.grading(code, signal),
  });
  const data = view.data;
  const title = data ? localized(data.entry.title, i18n.language) : undefined;
  return (
    <>
      <PageHeader
        title={t('securityGrading.grading.title', { code })}
        description={
          title ? (
            <>
              <Link to={`/catalog/entries/${encodeURIComponent(code)}`} lang={title.lang}>
                {title.text}
              </Link>{' '}
              · {t('securityGrading.grading.intro')}
            </>
          ) : (
            t('securityGrading.grading.intro')
          )
        }
      />
      {view.error ? <ProblemAlert error={view.error} /> : null}
      {data ? (
        <>
          <Card style={{ marginBottom: 20 }}>
            <p>
              {t('securityGrading.fields.state')}: <StateTag state={data.grading?.state ?? 'none'} />{' '}
              {data.grading ? (
                <>
                  · {t('securityGrading.grading.proposedLevel')}: <LevelText level={data.grading.level} />
                </>
              ) : null}
            </p>
            {data.grading?.confirmed ? (
              <p>
                {t('securityGrading.grading.confirmedLine', {
                  level: t(`securityGrading.grades.${data.grading.confirmed.level}`),
                  by: data.grading.confirmed.by,
                  at: formatDateTime(data.grading.confirmed.at, i18n.language),
                })}
              </p>
            ) : null}
            {data.grading?.state === 'returned' && data.grading.comment ? (
              <Alert
                type="warning"
                showIcon
                title={t('securityGrading.grading.returnedWith')}
                description={data.grading.comment}
              />
            ) : null}
          </Card>
          <Editor view={data} />
          {data.versions.length > 0 ? (
            <Card
              style={{ marginTop: 20 }}
              title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityGrading.grading.history')}</h2>}
            >
              <ol>
                {data.versions.map((v) => (
                  <li key={v.version}>
                    {t('securityGrading.grading.versionLine', {
                      version: v.version,
                      state: t(`securityGrading.states.${v.state}`),
                      level: t(`securityGrading.grades.${v.level}`),
                      at: formatDateTime(v.at, i18n.language),
                      index: v.ledgerIndex,
                    })}
                    {v.comment ? ` — ${v.comment}` : ''}
                  </li>
                ))}
              </ol>
            </Card>
          ) : null}
        </>
      ) : null}
    </>
  );
}
