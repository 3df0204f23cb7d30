import { Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../../api/types.ts';
import { roleLabel } from '../admin/role-labels.ts';

export function ProfileCard({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('account.profile')}</h2>}>
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('users.username')}>{user.username}</Descriptions.Item>
        <Descriptions.Item label={t('users.displayName')}>{user.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('users.email')}>{user.email || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('users.platformRoles')}>
          {user.platformRoles.length > 0
            ? user.platformRoles.map((r) => roleLabel(t, r)).join(t('common.listSeparator'))
            : t('account.noPlatformRole')}
        </Descriptions.Item>
        <Descriptions.Item label={t('account.memberships')} span={2}>
          {user.memberships.length === 0 ? (
            t('account.noMembership')
          ) : (
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {user.memberships.map((m) => (
                <li key={m.organizationId}>
                  {m.role === 'admin' ? (
                    <Link to={`/admin/organizations/${encodeURIComponent(m.organizationId)}`}>
                      {m.organizationName}
                    </Link>
                  ) : (
                    m.organizationName
                  )}
                  {t('common.labelSeparator')}
                  {t(`memberRoles.${m.role}`)}
                </li>
              ))}
            </ul>
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
