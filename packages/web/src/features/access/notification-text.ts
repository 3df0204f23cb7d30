import type { Notification } from './access-types.ts';

/** The kinds the access module sends; each has a sentence in every language under notifications.kinds. */
export const NOTIFICATION_KINDS = [
  'application.submitted',
  'application.asked',
  'application.approved',
  'application.rejected',
  'application.centre_review',
  'grant.revoked',
  'grant.expired',
] as const;

function isKnown(kind: string): kind is (typeof NOTIFICATION_KINDS)[number] {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

/** Translation key and values of a notification's sentence; an unknown kind still reads as a sentence. */
export function notificationMessage(notification: Pick<Notification, 'kind' | 'params'>): {
  key: string;
  values: { entryTitle: string; entryCode: string; reason: string; kind: string };
} {
  const { params } = notification;
  const values = {
    entryTitle: params.entryTitle ?? params.entryCode ?? '',
    entryCode: params.entryCode ?? '',
    reason: params.reason ?? params.comment ?? '',
    kind: notification.kind,
  };
  return { key: `notifications.kinds.${isKnown(notification.kind) ? notification.kind : 'other'}`, values };
}

/**
 * Where a notification leads inside the app: the server's own link when it is an app path, otherwise the
 * application, the grants list, or the entry it is about.
 */
export function notificationLink(notification: Pick<Notification, 'link' | 'params'>): string | undefined {
  const { link, params } = notification;
  if (link?.startsWith('/') && !link.startsWith('//') && !link.startsWith('/api/')) return link;
  if (params.applicationId) return `/access/applications/${encodeURIComponent(params.applicationId)}`;
  if (params.grantId) return '/access/grants';
  if (params.entryCode) return `/catalog/entries/${encodeURIComponent(params.entryCode)}`;
  return undefined;
}

/** The count shown on the bell: past 99 it reads "99+", as the badge has room for no more. */
export function unreadBadge(unread: number): string {
  if (!Number.isFinite(unread) || unread <= 0) return '';
  return unread > 99 ? '99+' : String(Math.floor(unread));
}

/** How often the bell asks for the unread count. */
export const NOTIFICATION_POLL_MS = 60_000;
