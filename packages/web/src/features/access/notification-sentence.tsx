import { Trans } from 'react-i18next';
import type { Notification } from './access-types.ts';
import { notificationMessage } from './notification-text.ts';

/** A notification as a sentence in the reader's language; the entry title keeps its own language (zh). */
export function NotificationSentence({
  notification,
}: {
  notification: Pick<Notification, 'kind' | 'params'>;
}) {
  const { key, values } = notificationMessage(notification);
  return <Trans i18nKey={key} values={values} components={{ title: <span lang="zh-CN" /> }} />;
}
