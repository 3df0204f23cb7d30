import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { SessionUser } from '../api/types.ts';
import { ProblemAlert } from '../components/problem-alert.tsx';
import { hasPermission, useSession } from '../features/auth/session.ts';
import { ForbiddenPage, PageLoading } from './status-pages.tsx';

interface GuardProps {
  /** Allowed when the user holds this permission. */
  permission?: string;
  /** Allowed when this returns true (e.g. an organisation's own admin). */
  allow?: (user: SessionUser) => boolean;
  children: ReactNode;
}

/** Sends anonymous visitors to sign-in (and back afterwards); shows a forbidden page to others without the right. */
export function RequireUser({ permission, allow, children }: GuardProps) {
  const { data: session, isPending, error } = useSession();
  const location = useLocation();
  if (isPending) return <PageLoading />;
  if (error) return <ProblemAlert error={error} />;
  if (!session?.authenticated || !session.user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  const user = session.user;
  const permitted =
    (permission === undefined && allow === undefined) ||
    (permission !== undefined && hasPermission(user, permission)) ||
    (allow?.(user) ?? false);
  if (!permitted) return <ForbiddenPage />;
  return <>{children}</>;
}
