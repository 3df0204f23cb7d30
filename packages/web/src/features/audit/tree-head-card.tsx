import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ledgerApi } from './ledger-api.ts';

/** The latest signed tree head: the public commitment every entry is checked against. */
export function TreeHeadCard() {
  const { t, i18n } = useTranslation();
  const sth = useQuery({ queryKey: ['ledger', 'sth'], queryFn: ledgerApi.treeHead });
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('audit.treeHead')}</h2>} loading={sth.isPending}>
      {sth.error ? <ProblemAlert error={sth.error} /> : null}
      {sth.data ? (
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('audit.treeSize')}>{sth.data.treeSize}</Descriptions.Item>
          <Descriptions.Item label={t('audit.signedAt')}>
            {formatDateTime(sth.data.timestamp, i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.rootHash')} span={2}>
            <span className="dp-mono">{sth.data.rootHash}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.keyId')} span={2}>
            <span className="dp-mono">{sth.data.keyId}</span>
          </Descriptions.Item>
        </Descriptions>
      ) : null}
      <p style={{ margin: '12px 0 0' }}>
        {t('audit.publicKeyHint')} <a href="/api/v1/ledger/public-key">{t('audit.publicKeyLink')}</a>
      </p>
    </Card>
  );
}
