import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { Badge } from '../catalog/badges.tsx';
import { NOTIFICATIONS_KEY, useAccessApi } from './access-api.ts';
import type { Notification } from './access-types.ts';
import { NotificationSentence } from './notification-sentence.tsx';
import { notificationLink, notificationMessage } from './notification-text.ts';
import { useMarkRead } from './use-notifications.ts';
import '../catalog/catalog.css';
import './access.css';

function Item({ notification, onRead }: { notification: Notification; onRead: (ids: string[]) => void }) {
  const { t, i18n } = useTranslation();
  const link = notificationLink(notification);
  const unread = notification.readAt === null;
  const context = notificationMessage(notification).values.entryCode;
  return (
    <li
      className={unread ? 'dp-notification-unread' : 'dp-notification-read'}
      style={{ padding: '10px 0 10px 12px', borderBottom: '1px solid #f0f0f0' }}
      data-testid="notification"
      data-unread={unread ? 'true' : 'false'}
    >
      <p style={{ margin: 0 }}>
        {unread ? (
          <>
            <Badge text={t('notifications.unread')} tone="blue" />{' '}
          </>
        ) : null}
        <NotificationSentence notification={notification} />
      </p>
      <p className="dp-meta-line" style={{ margin: '4px 0 0' }}>
        <time dateTime={notification.createdAt}>{formatDateTime(notification.createdAt, i18n.language)}</time>
      </p>
      <Space wrap style={{ marginTop: 6 }}>
        {link ? (
          <Link to={link} onClick={() => (unread ? onRead([notification.id]) : undefined)}>
            <ActionLabel text={t('notifications.open')} context={context} />
          </Link>
        ) : null}
        {unread ? (
          <Button size="small" onClick={() => onRead([notification.id])}>
            <ActionLabel text={t('notifications.markRead')} context={context} />
          </Button>
        ) : null}
      </Space>
    </li>
  );
}

/** All the user's notifications, newest first; opening one marks it read. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const api = useAccessApi();
  const markRead = useMarkRead();
  const notifications = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'all'],
    queryFn: ({ signal }) => api.notifications({ limit: 100 }, signal),
  });
  const items = [...(notifications.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const unreadIds = items.filter((n) => n.readAt === null).map((n) => n.id);
  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        description={t('notifications.intro')}
        extra={
          unreadIds.length > 0 ? (
            <Button loading={markRead.isPending} onClick={() => markRead.mutate(unreadIds)}>
              {t('notifications.markAllRead')}
            </Button>
          ) : undefined
        }
      />
      <Card>
        {notifications.error ? <ProblemAlert error={notifications.error} /> : null}
        {markRead.error ? <ProblemAlert error={markRead.error} /> : null}
        <p role="status" data-testid="unread-count" style={{ marginTop: 0 }}>
          {t('notifications.unreadCount', { count: notifications.data?.unread ?? unreadIds.length })}
        </p>
        {items.length === 0 && !notifications.isPending ? (
          <EmptyText>{t('notifications.empty')}</EmptyText>
        ) : (
          <ul aria-label={t('notifications.listLabel')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {items.map((n) => (
              <Item key={n.id} notification={n} onRead={(ids) => markRead.mutate(ids)} />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
