import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import type { Institution } from './catalog-types.ts';
import { organizationName } from './localized.ts';
import { useInstitutions } from './use-catalog-data.ts';

/** Every public institution (and any other provider with published entries), with its catalog's size and quality. */
export function InstitutionsPage() {
  const { t, i18n } = useTranslation();
  const institutions = useInstitutions();
  const rows = (institutions.data ?? []).filter((o) => o.kind === 'institution' || o.listed > 0);
  return (
    <>
      <PageHeader title={t('catalog.institutions.title')} description={t('catalog.institutions.intro')} />
      <p>
        <Link to="/catalog">{t('catalog.entry.backToSearch')}</Link>
      </p>
      <Card>
        {institutions.error ? <ProblemAlert error={institutions.error} /> : null}
        <TableRegion label={t('catalog.institutions.title')}>
          <Table<Institution>
            data-testid="institutions"
            rowKey="id"
            loading={institutions.isPending}
            dataSource={rows}
            pagination={false}
            caption={<span className="dp-visually-hidden">{t('catalog.institutions.title')}</span>}
            locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
            columns={[
              {
                title: t('catalog.institutions.name'),
                key: 'name',
                render: (_: unknown, o: Institution) => {
                  const name = organizationName(o, i18n.language);
                  return (
                    <Link to={`/catalog/institutions/${encodeURIComponent(o.code)}`} lang={name.lang}>
                      {name.text}
                    </Link>
                  );
                },
              },
              {
                title: t('catalog.institutions.published'),
                dataIndex: 'listed',
                align: 'right',
                sorter: (a: Institution, b: Institution) => a.listed - b.listed,
              },
              {
                title: t('catalog.institutions.quality'),
                dataIndex: 'quality',
                align: 'right',
                render: (v: number | null) => (v === null ? '—' : v),
                sorter: (a: Institution, b: Institution) => (a.quality ?? -1) - (b.quality ?? -1),
              },
            ]}
          />
        </TableRegion>
      </Card>
    </>
  );
}
