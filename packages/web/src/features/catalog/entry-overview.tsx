import { Card, Space, Table } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';
import { GradeBadge, OpenTypeBadge, ShareTypeBadge } from './badges.tsx';
import { exportLinks } from './catalog-api.ts';
import type { CatalogRecord, Distribution, EntryMetadata, InformationItem } from './catalog-types.ts';
import { formatBytes } from './format-catalog.ts';
import { localized, organizationName } from './localized.ts';
import { useLabels } from './use-catalog-data.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children ?? '—'}</td>
    </tr>
  );
}

function orDash(value: string | undefined): string {
  return value?.trim() ? value : '—';
}

/** All the declared metadata of one version, as a two-column table. */
export function MetadataTable({ record, metadata }: { record: CatalogRecord; metadata: EntryMetadata }) {
  const { t, i18n } = useTranslation();
  const { code } = useLabels();
  const provider = organizationName(record.provider, i18n.language);
  const sep = t('common.listSeparator');
  const coverage = metadata.temporalCoverage;
  return (
    <table className="dp-kv" data-testid="metadata-table">
      <caption>{t('catalog.entry.metadataTitle')}</caption>
      <tbody>
        <Row label={t('catalog.fields.code')}>
          <span className="dp-mono">{record.code}</span>
        </Row>
        {(['en', 'fr'] as const).map((lang) =>
          metadata.title[lang] ? (
            <Row key={lang} label={t(`catalog.fields.title_${lang}`)}>
              <span lang={lang}>{metadata.title[lang]}</span>
            </Row>
          ) : null,
        )}
        <Row label={t('catalog.fields.provider')}>
          <Link to={`/catalog/institutions/${encodeURIComponent(record.provider.code)}`} lang={provider.lang}>
            {provider.text}
          </Link>{' '}
          <span className="dp-mono">({metadata.providerCreditCode || record.provider.creditCode})</span>
        </Row>
        <Row label={t('catalog.fields.classification')}>
          {code('classifications', metadata.classification)}
        </Row>
        <Row label={t('catalog.fields.theme')}>{code('themes', metadata.theme)}</Row>
        <Row label={t('catalog.fields.keywords')}>{orDash(metadata.keywords.join(sep))}</Row>
        <Row label={t('catalog.fields.formats')}>
          {orDash(metadata.formats.map((f) => code('formats', f)).join(sep))}
        </Row>
        <Row label={t('catalog.fields.shareType')}>
          <ShareTypeBadge value={metadata.shareType} />
          {metadata.shareCondition ? <p style={{ margin: '6px 0 0' }}>{metadata.shareCondition}</p> : null}
        </Row>
        {metadata.shareMethod ? (
          <Row label={t('catalog.fields.shareMethod')}>{metadata.shareMethod}</Row>
        ) : null}
        <Row label={t('catalog.fields.openType')}>
          <OpenTypeBadge value={metadata.openType} />
          {metadata.openCondition ? <p style={{ margin: '6px 0 0' }}>{metadata.openCondition}</p> : null}
        </Row>
        <Row label={t('catalog.fields.grade')}>
          <GradeBadge value={metadata.grade} />
        </Row>
        <Row label={t('catalog.fields.updateCycle')}>{code('updateCycles', metadata.updateCycle)}</Row>
        <Row label={t('catalog.fields.releaseDate')}>{formatDate(metadata.releaseDate, i18n.language)}</Row>
        <Row label={t('catalog.fields.lastUpdate')}>{formatDate(metadata.lastUpdate, i18n.language)}</Row>
        <Row label={t('catalog.fields.license')}>
          {metadata.license ? code('licenses', metadata.license) : '—'}
        </Row>
        <Row label={t('catalog.fields.contactPoint')}>
          {metadata.contactPoint ? (
            <>
              {metadata.contactPoint.name}
              {metadata.contactPoint.email ? (
                <>
                  {sep}
                  <a href={`mailto:${metadata.contactPoint.email}`}>{metadata.contactPoint.email}</a>
                </>
              ) : null}
              {metadata.contactPoint.phone ? `${sep}${metadata.contactPoint.phone}` : null}
            </>
          ) : (
            '—'
          )}
        </Row>
        <Row label={t('catalog.fields.spatialCoverage')}>{orDash(metadata.spatialCoverage)}</Row>
        <Row label={t('catalog.fields.temporalCoverage')}>
          {coverage?.start || coverage?.end
            ? t('catalog.entry.period', {
                start: formatDate(coverage.start, i18n.language),
                end: formatDate(coverage.end, i18n.language),
              })
            : '—'}
        </Row>
        {metadata.relatedCodes.length > 0 ? (
          <Row label={t('catalog.fields.relatedCodes')}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {metadata.relatedCodes.map((c) => (
                <li key={c}>
                  <Link to={`/catalog/entries/${encodeURIComponent(c)}`} className="dp-mono">
                    {c}
                  </Link>
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
        {Object.entries(metadata.extras ?? {}).map(([key, value]) => (
          <Row key={key} label={key}>
            {Array.isArray(value) ? value.join(sep) : String(value)}
          </Row>
        ))}
        {metadata.sourceUri ? (
          <Row label={t('catalog.fields.sourceUri')}>
            <span className="dp-mono">{metadata.sourceUri}</span>
          </Row>
        ) : null}
        <Row label={t('catalog.fields.publishedAt')}>{formatDateTime(record.publishedAt, i18n.language)}</Row>
        <Row label={t('catalog.fields.usageCount')}>{record.usageCount}</Row>
      </tbody>
    </table>
  );
}

export function InformationItemsTable({ items }: { items: InformationItem[] }) {
  const { t, i18n } = useTranslation();
  const { code } = useLabels();
  return (
    <TableRegion label={t('catalog.entry.itemsTitle')}>
      <Table<InformationItem>
        data-testid="information-items"
        rowKey="name"
        dataSource={items}
        pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        caption={<span className="dp-visually-hidden">{t('catalog.entry.itemsTitle')}</span>}
        locale={{ emptyText: <EmptyText>{t('catalog.entry.noItems')}</EmptyText> }}
        columns={[
          {
            title: t('catalog.item.name'),
            dataIndex: 'name',
            render: (v: string) => <code>{v}</code>,
          },
          {
            title: t('catalog.item.title'),
            key: 'title',
            render: (_: unknown, item: InformationItem) => {
              if (!item.title) return '—';
              const shown = localized(item.title, i18n.language);
              return <span lang={shown.lang}>{shown.text || '—'}</span>;
            },
          },
          {
            title: t('catalog.item.type'),
            dataIndex: 'type',
            className: 'dp-nowrap',
            render: (v: string) => t(`catalog.fieldTypes.${v}`, { defaultValue: v }),
          },
          {
            title: t('catalog.item.description'),
            dataIndex: 'description',
            render: (v?: string) => v || '—',
          },
          {
            title: t('catalog.item.grade'),
            dataIndex: 'grade',
            className: 'dp-nowrap',
            render: (v: string) => <GradeBadge value={v} />,
          },
          {
            title: t('catalog.item.personalInfo'),
            dataIndex: 'personalInfo',
            render: (v: string) => code('personalInfo', v),
          },
        ]}
      />
    </TableRegion>
  );
}

export function DistributionsTable({ distributions }: { distributions: Distribution[] }) {
  const { t, i18n } = useTranslation();
  const { code } = useLabels();
  return (
    <TableRegion label={t('catalog.entry.distributionsTitle')}>
      <Table<Distribution>
        rowKey="id"
        dataSource={distributions}
        pagination={false}
        caption={<span className="dp-visually-hidden">{t('catalog.entry.distributionsTitle')}</span>}
        locale={{ emptyText: <EmptyText>{t('catalog.entry.noDistributions')}</EmptyText> }}
        columns={[
          {
            title: t('catalog.distribution.title'),
            key: 'title',
            render: (_: unknown, d: Distribution) => {
              const shown = localized(d.title, i18n.language);
              const name = shown.text || d.id;
              return d.url ? (
                <a href={d.url} lang={shown.lang}>
                  {name}
                </a>
              ) : (
                <span lang={shown.lang}>{name}</span>
              );
            },
          },
          {
            title: t('catalog.distribution.kind'),
            dataIndex: 'kind',
            render: (v: string) => t(`catalog.distributionKinds.${v}`, { defaultValue: v }),
          },
          {
            title: t('catalog.distribution.format'),
            dataIndex: 'format',
            render: (v: string) => code('formats', v),
          },
          {
            title: t('catalog.distribution.byteSize'),
            dataIndex: 'byteSize',
            className: 'dp-nowrap',
            render: (v?: number) => (v === undefined ? '—' : formatBytes(v, i18n.language)),
          },
          {
            title: t('catalog.distribution.description'),
            dataIndex: 'description',
            render: (v?: string) => v || '—',
          },
        ]}
      />
    </TableRegion>
  );
}

/** The published entry in machine-readable form: DCAT in three syntaxes and a Data Package descriptor. */
export function ExportLinks({ code }: { code: string }) {
  const { t } = useTranslation();
  const links = exportLinks(code);
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.entry.exportsTitle')}</h2>}>
      <p style={{ marginTop: 0 }}>{t('catalog.entry.exportsIntro')}</p>
      <Space wrap size="large" data-testid="dcat-links">
        <a href={links.turtle} download={`${code}.ttl`}>
          {t('catalog.entry.exports.turtle')}
        </a>
        <a href={links.jsonld} download={`${code}.jsonld`}>
          {t('catalog.entry.exports.jsonld')}
        </a>
        <a href={links.rdfxml} download={`${code}.rdf`}>
          {t('catalog.entry.exports.rdfxml')}
        </a>
        <a href={links.datapackage} download={`${code}-datapackage.json`}>
          {t('catalog.entry.exports.datapackage')}
        </a>
      </Space>
      <p style={{ marginBottom: 0, marginTop: 12 }} className="dp-meta-line">
        {t('catalog.entry.exportsNegotiation')}
      </p>
    </Card>
  );
}
