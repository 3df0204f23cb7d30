import { useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Table } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { Badge } from './badges.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { Change, Version } from './catalog-types.ts';
import { diffValueText, parseActor } from './format-catalog.ts';
import { contentLanguage } from './localized.ts';
import { pathSegments } from './problem-paths.ts';
import { useLabels } from './use-catalog-data.ts';
import { VersionProofModal } from './version-proof-modal.tsx';

function versionParam(value: string | null): number | undefined {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A change's field in words: "Information items › 3 › Name" for `/informationItems/2/name`. */
export function useChangeLabel() {
  const { t, i18n } = useTranslation();
  const { profile } = useLabels();
  return (path: string): string => {
    const segments = pathSegments(path);
    // The operator's own fields are named by the standard that defines them.
    if (segments[0] === 'extras' && segments.length === 2) {
      const rule = profile?.rules.find((r) => r.path === `extras.${segments[1]}`);
      if (rule) return rule.label[contentLanguage(i18n.language)];
    }
    return segments
      .map((s, i) => {
        if (/^\d+$/.test(s)) return String(Number(s) + 1);
        const parent = segments[i - 2];
        if (parent === 'informationItems') return t(`catalog.item.${s}`, { defaultValue: s });
        if (parent === 'distributions') return t(`catalog.distribution.${s}`, { defaultValue: s });
        if (i > 0 && ['zh', 'en', 'fr'].includes(s)) return t(`catalog.languages.${s}`);
        return t(`catalog.fields.${s}`, { defaultValue: s });
      })
      .join(' › ');
  };
}

function DiffTable({ changes, from, to }: { changes: Change[]; from: number; to: number }) {
  const { t } = useTranslation();
  const label = useChangeLabel();
  return (
    <TableRegion label={t('catalog.history.diffCaption', { from, to })}>
      <Table<Change>
        data-testid="version-diff"
        rowKey="path"
        dataSource={changes}
        pagination={false}
        caption={<span className="dp-table-caption">{t('catalog.history.diffCaption', { from, to })}</span>}
        locale={{ emptyText: <EmptyText>{t('catalog.history.noChanges')}</EmptyText> }}
        columns={[
          {
            title: t('catalog.history.field'),
            dataIndex: 'path',
            render: (path: string) => (
              <>
                {label(path)}
                <br />
                <code className="dp-code">{path}</code>
              </>
            ),
          },
          {
            title: t('catalog.history.before', { version: from }),
            dataIndex: 'before',
            render: (v: unknown) =>
              v === null || v === undefined ? (
                <em>{t('catalog.history.absent')}</em>
              ) : (
                <pre className="dp-diff-value">{diffValueText(v)}</pre>
              ),
          },
          {
            title: t('catalog.history.after', { version: to }),
            dataIndex: 'after',
            render: (v: unknown) =>
              v === null || v === undefined ? (
                <em>{t('catalog.history.absent')}</em>
              ) : (
                <pre className="dp-diff-value">{diffValueText(v)}</pre>
              ),
          },
        ]}
      />
    </TableRegion>
  );
}

/**
 * Every version with its log entry, a comparison of any two versions, and the proof of each. The two
 * compared versions live in the address (`from`, `to`) so a reviewer can link to a comparison.
 */
export function EntryHistory({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const [params, setParams] = useSearchParams();
  const [proofOf, setProofOf] = useState<number | undefined>();
  const fromId = useId();
  const toId = useId();
  const versions = useQuery({
    queryKey: ['catalog', 'entry', code, 'versions'],
    queryFn: ({ signal }) => api.versions(code, signal),
  });
  const list = versions.data ?? [];
  const numbers = list.map((v) => v.version).sort((a, b) => a - b);
  const newest = numbers[numbers.length - 1];
  const from = versionParam(params.get('from')) ?? numbers[numbers.length - 2];
  const to = versionParam(params.get('to')) ?? newest;
  const comparable = from !== undefined && to !== undefined && from !== to;
  const diff = useQuery({
    queryKey: ['catalog', 'entry', code, 'diff', from, to],
    queryFn: ({ signal }) => api.diff(code, from!, to!, signal),
    enabled: comparable,
  });

  const choose = (key: 'from' | 'to', value: number) => {
    const next = new URLSearchParams(params);
    next.set('tab', 'history');
    next.set(key, String(value));
    if (key === 'from' && to !== undefined && !next.has('to')) next.set('to', String(to));
    if (key === 'to' && from !== undefined && !next.has('from')) next.set('from', String(from));
    setParams(next, { replace: true });
  };
  const options = numbers.map((n) => ({ value: n, label: t('catalog.history.versionN', { version: n }) }));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.history.title')}</h2>}>
        {versions.error ? <ProblemAlert error={versions.error} /> : null}
        <TableRegion label={t('catalog.history.title')}>
          <Table<Version>
            data-testid="versions"
            rowKey="version"
            loading={versions.isPending}
            dataSource={[...list].sort((a, b) => b.version - a.version)}
            pagination={false}
            caption={<span className="dp-visually-hidden">{t('catalog.history.title')}</span>}
            locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
            columns={[
              {
                title: t('catalog.history.version'),
                dataIndex: 'version',
                align: 'right',
                render: (v: number, row: Version) => (
                  <Space size={6}>
                    {v}
                    {row.current ? <Badge text={t('catalog.history.current')} tone="green" /> : null}
                  </Space>
                ),
              },
              {
                title: t('catalog.history.action'),
                dataIndex: 'action',
                render: (a: string) =>
                  t(`catalog.history.actions.${a.split('.').pop()}`, { defaultValue: a }),
              },
              {
                title: t('catalog.history.by'),
                dataIndex: 'actor',
                render: (a: string) => {
                  const actor = parseActor(a);
                  return (
                    <span>
                      {t(`audit.actorTypes.${actor.type}`, { defaultValue: actor.type })}{' '}
                      <span className="dp-mono" title={actor.id}>
                        {actor.id.length > 12 ? `${actor.id.slice(0, 8)}…` : actor.id}
                      </span>
                    </span>
                  );
                },
              },
              {
                title: t('catalog.history.savedAt'),
                dataIndex: 'createdAt',
                className: 'dp-nowrap',
                render: (v: string) => formatDateTime(v, i18n.language),
              },
              {
                title: t('catalog.history.publishedAt'),
                dataIndex: 'publishedAt',
                className: 'dp-nowrap',
                render: (v?: string) =>
                  v ? formatDateTime(v, i18n.language) : t('catalog.history.notPublished'),
              },
              {
                title: t('catalog.history.logIndex'),
                key: 'log',
                align: 'right',
                render: (_: unknown, v: Version) => v.publishLedgerIndex ?? v.ledgerIndex,
              },
              {
                title: t('catalog.history.proof'),
                key: 'proof',
                className: 'dp-nowrap',
                render: (_: unknown, v: Version) => (
                  <Button size="small" onClick={() => setProofOf(v.version)}>
                    <ActionLabel
                      text={t('catalog.history.verify')}
                      context={t('catalog.history.versionN', { version: v.version })}
                    />
                  </Button>
                ),
              },
            ]}
          />
        </TableRegion>
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.history.compareTitle')}</h2>}>
        {numbers.length < 2 ? (
          <p style={{ margin: 0 }}>{t('catalog.history.single')}</p>
        ) : (
          <>
            <div className="dp-toolbar">
              <div>
                <label htmlFor={fromId} className="dp-field-label">
                  {t('catalog.history.from')}
                </label>
                <Select<number>
                  id={fromId}
                  style={{ width: 160 }}
                  value={from ?? null}
                  options={options}
                  onChange={(v) => choose('from', v)}
                />
              </div>
              <div>
                <label htmlFor={toId} className="dp-field-label">
                  {t('catalog.history.to')}
                </label>
                <Select<number>
                  id={toId}
                  style={{ width: 160 }}
                  value={to ?? null}
                  options={options}
                  onChange={(v) => choose('to', v)}
                />
              </div>
            </div>
            {!comparable ? <p>{t('catalog.history.sameVersion')}</p> : null}
            {diff.error ? <ProblemAlert error={diff.error} /> : null}
            {comparable && diff.data ? <DiffTable changes={diff.data.changes} from={from} to={to} /> : null}
          </>
        )}
      </Card>
      <VersionProofModal code={code} version={proofOf} onClose={() => setProofOf(undefined)} />
    </Space>
  );
}
