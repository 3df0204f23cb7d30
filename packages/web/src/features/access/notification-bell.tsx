import { Badge, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../auth/session.ts';
import { NotificationSentence } from './notification-sentence.tsx';
import { notificationLink, unreadBadge } from './notification-text.ts';
import { useMarkRead, useUnreadNotifications } from './use-notifications.ts';

function BellIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zM9.5 19a2.5 2.5 0 0 0 5 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The header's bell: the unread count, the latest unread notifications, and the way to all of them. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const unread = useUnreadNotifications();
  const markRead = useMarkRead();
  if (!session?.authenticated) return null;
  const count = unread.data?.unread ?? 0;
  const latest = unread.data?.items ?? [];
  return (
    <Dropdown
      trigger={['click']}
      autoFocus
      menu={{
        items: [
          ...latest.map((n) => ({ key: n.id, label: <NotificationSentence notification={n} /> })),
          ...(latest.length > 0 ? [{ type: 'divider' as const }] : []),
          { key: 'all', label: t('notifications.seeAll') },
        ],
        onClick: ({ key }) => {
          if (key === 'all') {
            navigate('/notifications');
            return;
          }
          const notification = latest.find((n) => n.id === key);
          if (!notification) return;
          markRead.mutate([notification.id]);
          navigate(notificationLink(notification) ?? '/notifications');
        },
      }}
    >
      <Button
        size="small"
        type="text"
        aria-haspopup="menu"
        aria-label={count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell')}
        data-testid="notification-bell"
      >
        <Badge count={unreadBadge(count)} size="small" offset={[4, -2]} color="#a8071a">
          <span style={{ color: 'inherit' }}>
            <BellIcon />
          </span>
        </Badge>
      </Button>
    </Dropdown>
  );
}
