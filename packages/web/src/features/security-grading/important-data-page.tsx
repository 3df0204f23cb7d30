import { useQuery } from '@tanstack/react-query';
import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { localized } from '../catalog/localized.ts';
import { OrganizationPicker } from './organization-picker.tsx';
import { importantDataCsvUrl, SECURITY_KEY, useSecurityApi } from './security-api.ts';
import type { ImportantData } from './security-types.ts';
import '../catalog/catalog.css';
import './security.css';

type Item = ImportantData['items'][number];

/** An institution's catalog of important and core data, as reported to the authority. */
export function ImportantDataPage() {
  const { t, i18n } = useTranslation();
  const api = useSecurityApi();
  const [params, setParams] = useSearchParams();
  const organizationId = params.get('organization') ?? undefined;
  const report = useQuery({
    queryKey: [...SECURITY_KEY, 'important-data', organizationId],
    queryFn: ({ signal }) => api.importantData(organizationId!, signal),
    enabled: organizationId !== undefined,
  });
  const caption = t('securityGrading.importantData.caption');
  const contact = (c: { name: string; email?: string | null; phone?: string | null } | null) =>
    c ? [c.name, c.email, c.phone].filter(Boolean).join(' · ') : t('securityGrading.dashboard.notNamed');
  return (
    <>
      <PageHeader
        title={t('securityGrading.importantData.title')}
        description={t('securityGrading.importantData.intro')}
      />
      <OrganizationPicker value={organizationId} onChange={(id) => setParams({ organization: id })} />
      {report.error ? <ProblemAlert error={report.error} /> : null}
      {report.data ? (
        <Card>
          <p>
            {t('securityGrading.officers.chiefDataOfficer')}: {contact(report.data.chiefDataOfficer)}
            <br />
            {t('securityGrading.officers.securityOfficer')}: {contact(report.data.securityOfficer)}
          </p>
          <p>
            <a href={importantDataCsvUrl(report.data.organization.id)} download>
              {t('securityGrading.importantData.downloadCsv')}
            </a>
          </p>
          <TableRegion label={caption}>
            <Table<Item>
              data-testid="important-data"
              rowKey="entryCode"
              dataSource={report.data.items}
              pagination={false}
              caption={<span className="dp-table-caption">{caption}</span>}
              locale={{ emptyText: <EmptyText>{t('securityGrading.importantData.empty')}</EmptyText> }}
              columns={[
                {
                  title: t('securityGrading.fields.entry'),
                  key: 'entry',
                  render: (_: unknown, item: Item) => {
                    const title = localized(item.entryTitle, i18n.language);
                    return (
                      <Link to={`/security/grading/${encodeURIComponent(item.entryCode)}`}>
                        <span lang={title.lang}>{title.text}</span> ({item.entryCode})
                      </Link>
                    );
                  },
                },
                {
                  title: t('securityGrading.fields.level'),
                  dataIndex: 'level',
                  render: (v: string) => (
                    <span className="dp-security-level">{t(`securityGrading.grades.${v}`)}</span>
                  ),
                },
                {
                  title: t('securityGrading.fields.fields'),
                  key: 'fields',
                  render: (_: unknown, item: Item) => (
                    <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                      {item.fields.map((f) => (
                        <li key={f.field}>
                          {f.field}: {t(`securityGrading.grades.${f.level}`)} — {f.rationale}
                        </li>
                      ))}
                    </ul>
                  ),
                },
                {
                  title: t('securityGrading.fields.contact'),
                  key: 'contact',
                  render: (_: unknown, item: Item) => contact(item.contact),
                },
                {
                  title: t('securityGrading.fields.confirmed'),
                  key: 'confirmed',
                  render: (_: unknown, item: Item) =>
                    `${item.confirmedBy} · ${formatDateTime(item.confirmedAt, i18n.language)}`,
                },
              ]}
            />
          </TableRegion>
        </Card>
      ) : null}
    </>
  );
}
