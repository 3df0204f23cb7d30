import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

interface ProblemAlertProps {
  error: unknown;
  /** Replaces the server's wording for statuses the page explains better itself. */
  messages?: Partial<Record<number, string>>;
}

/** Shows an API error as readable text: translated for known cases, the server's words otherwise. */
export function ProblemAlert({ error, messages }: ProblemAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  let title = t('errors.generic');
  let description: string | undefined;
  if (error instanceof ApiError) {
    const custom = messages?.[error.status];
    if (custom) {
      title = custom;
    } else if (error.status === 403) {
      title = t('errors.forbidden');
    } else if (error.status === 401) {
      title = t('errors.unauthenticated');
    } else if (error.status === 429) {
      title = t('errors.throttled');
    } else {
      title = error.title;
      description = error.detail;
    }
    if (error.errors.length > 0) {
      const fields = error.errors.map((e) => `${e.path || '—'}: ${e.message}`).join('; ');
      description = description ? `${description} (${fields})` : fields;
    }
  } else if (error instanceof TypeError) {
    title = t('errors.network');
  } else if (error instanceof Error) {
    // Local failures (e.g. WebCrypto missing outside a secure context) are worth showing as they are.
    description = error.message;
  }
  return <Alert type="error" showIcon role="alert" title={title} description={description} />;
}
