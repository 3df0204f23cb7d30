import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StatsOverview } from '../../api/types.ts';

const FIGURES = ['organizations', 'institutions', 'companies', 'users', 'ledgerEntries'] as const;

export function StatCards({ stats }: { stats: StatsOverview | undefined }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]}>
      {FIGURES.map((key) => (
        <Col key={key} xs={12} md={8} xl={{ flex: '20%' }}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={t(`home.figures.${key}`)}
              value={stats?.[key] ?? 0}
              loading={!stats}
              styles={{ content: { color: '#002766', fontWeight: 600 } }}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
