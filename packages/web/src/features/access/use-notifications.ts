import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../auth/session.ts';
import { NOTIFICATIONS_KEY, useAccessApi } from './access-api.ts';
import { NOTIFICATION_POLL_MS } from './notification-text.ts';

/** The latest unread notifications and their count, asked again every minute while signed in. */
export function useUnreadNotifications() {
  const api = useAccessApi();
  const { data: session } = useSession();
  const signedIn = session?.authenticated === true;
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'unread'],
    queryFn: ({ signal }) => api.notifications({ unread: true, limit: 5 }, signal),
    enabled: signedIn,
    refetchInterval: NOTIFICATION_POLL_MS,
    // The bell must not nag: a failed poll waits for the next one.
    retry: false,
  });
}

export function useMarkRead() {
  const api = useAccessApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => Promise.all(ids.map((id) => api.markRead(id))),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}
