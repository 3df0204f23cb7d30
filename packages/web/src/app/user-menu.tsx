import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ActionLabel } from '../components/action-label.tsx';
import { UserIcon } from '../components/icons.tsx';
import { signOut, useSession } from '../features/auth/session.ts';

export function UserMenu() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();

  if (!session?.authenticated || !session.user) {
    if (location.pathname === '/sign-in') return null;
    const next = `${location.pathname}${location.search}`;
    return (
      <Link to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`}>
        {t('header.signIn')}
      </Link>
    );
  }

  const user = session.user;
  const handleSignOut = async () => {
    try {
      await signOut(queryClient);
      navigate('/');
      void message.success(t('auth.signedOut'));
    } catch {
      void message.error(t('errors.generic'));
    }
  };

  return (
    <Dropdown
      trigger={['click']}
      autoFocus
      menu={{
        items: [
          { key: 'notifications', label: t('notifications.title') },
          { key: 'account', label: t('nav.account') },
          { type: 'divider' },
          { key: 'sign-out', label: t('header.signOut') },
        ],
        onClick: ({ key }) => {
          if (key === 'notifications') navigate('/notifications');
          if (key === 'account') navigate('/account');
          if (key === 'sign-out') void handleSignOut();
        },
      }}
    >
      <Button size="small" type="text" aria-haspopup="menu" data-testid="user-menu">
        <UserIcon />
        <ActionLabel text={user.displayName} context={t('header.userMenu')} />
      </Button>
    </Dropdown>
  );
}
