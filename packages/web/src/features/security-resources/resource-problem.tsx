import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { problemText } from './problem-text.ts';

/**
 * An API refusal next to the form that caused it: in the reader's language when the code is one these pages
 * know (with the server's sentence when it names the values at fault), otherwise as the server wrote it.
 */
export function ResourceProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const known = problemText(error);
  if (known === undefined || !(error instanceof ApiError)) return <ProblemAlert error={error} />;
  const fields = error.errors.map((e) => `${e.path || '—'}: ${e.message}`);
  const detail = known.withDetail ? error.detail : undefined;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={t(known.key)}
      description={
        detail || fields.length > 0 ? (
          <>
            {detail ? <p style={{ margin: 0 }}>{detail}</p> : null}
            {fields.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {fields.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : undefined
      }
    />
  );
}
