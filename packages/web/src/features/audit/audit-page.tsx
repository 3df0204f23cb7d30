import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerEntry } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { EntriesTable } from './entries-table.tsx';
import { ledgerApi } from './ledger-api.ts';
import { TreeHeadCard } from './tree-head-card.tsx';
import { VerifyModal } from './verify-modal.tsx';

export function AuditPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [selected, setSelected] = useState<LedgerEntry | undefined>();
  const [open, setOpen] = useState(false);

  const entries = useQuery({
    queryKey: ['ledger', 'entries', page, pageSize],
    queryFn: ({ signal }) => ledgerApi.entries((page - 1) * pageSize, pageSize, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.intro')} />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <TreeHeadCard />
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('audit.entries')}</h2>}>
          {entries.error ? <ProblemAlert error={entries.error} /> : null}
          <EntriesTable
            entries={entries.data?.items ?? []}
            total={entries.data?.total ?? 0}
            page={page}
            pageSize={pageSize}
            loading={entries.isFetching}
            onPageChange={(p, size) => {
              setPage(size === pageSize ? p : 1);
              setPageSize(size);
            }}
            onVerify={(entry) => {
              setSelected(entry);
              setOpen(true);
            }}
          />
        </Card>
      </Space>
      <VerifyModal entry={selected} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
