import { Card, Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ModuleStatus, SessionUser } from '../../api/types.ts';
import { CheckIcon, PendingIcon } from '../../components/icons.tsx';
import { isKnownModule, moduleLink } from './modules.ts';

interface ModuleCardsProps {
  modules: ModuleStatus[];
  user: SessionUser | undefined;
}

export function ModuleCards({ modules, user }: ModuleCardsProps) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]}>
      {modules.map((module) => {
        const known = isKnownModule(module.id);
        const name = known ? t(`modules.${module.id}.name`) : module.id;
        const description = known ? t(`modules.${module.id}.description`) : '';
        const link = module.available ? moduleLink(module.id, user) : undefined;
        return (
          <Col key={module.id} xs={24} sm={12} lg={8}>
            <Card size="small" className="dp-module-card">
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, marginBottom: 6 }}>
                <h3>{link ? <Link to={link}>{name}</Link> : name}</h3>
                {module.available ? (
                  <span className="dp-status dp-status-ok">
                    <CheckIcon size={12} />
                    {t('home.available')}
                  </span>
                ) : (
                  <span className="dp-status dp-status-neutral">
                    <PendingIcon size={12} />
                    {t('home.coming')}
                  </span>
                )}
              </div>
              <p style={{ margin: 0, color: 'rgba(0,0,0,0.72)' }}>{description}</p>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
