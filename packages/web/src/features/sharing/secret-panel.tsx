import { Alert, Button, Input, Space } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShownSecret } from './sharing-console.ts';

/** A read-only value with its copy button; says in a status line when it was copied. */
function CopyField({
  label,
  value,
  testId,
  autoFocus = false,
  onCopied,
}: {
  label: string;
  value: string;
  testId: string;
  autoFocus?: boolean;
  onCopied: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div style={{ marginBottom: 10 }}>
      <label htmlFor={id} className="dp-field-label">
        {label}
      </label>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          id={id}
          readOnly
          value={value}
          className="dp-mono"
          data-testid={testId}
          autoFocus={autoFocus}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              onCopied();
            } catch {
              // No clipboard (an insecure page, a refused permission): the value is selected to copy by hand.
              document.getElementById(id)?.focus();
            }
          }}
        >
          {t('clients.secret.copy')}
          <span className="dp-visually-hidden"> {label}</span>
        </Button>
      </Space.Compact>
    </div>
  );
}

/**
 * The client id and secret of a system just registered or given a new secret. The server keeps only a
 * hash of the secret: this panel is the one place it is ever shown, until the reader dismisses it.
 */
export function SecretPanel({ secret, onDone }: { secret: ShownSecret; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<string | undefined>();
  const idLabel = t('clients.fields.clientId');
  const secretLabel = t('clients.fields.clientSecret');
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="client-secret-panel"
      title={t(`clients.secret.${secret.action}Title`, { name: secret.systemName })}
      description={
        <div>
          <p style={{ margin: '0 0 8px' }}>
            <strong>{t('clients.secret.onceWarning')}</strong>
          </p>
          {secret.action === 'rotated' ? (
            <p style={{ margin: '0 0 8px' }}>{t('clients.secret.rotatedWarning')}</p>
          ) : null}
          <CopyField
            label={idLabel}
            value={secret.clientId}
            testId="new-client-id"
            onCopied={() => setCopied(idLabel)}
          />
          <CopyField
            label={secretLabel}
            value={secret.clientSecret}
            testId="new-client-secret"
            // Focus lands on the secret as soon as it appears, so no one misses it.
            autoFocus
            onCopied={() => setCopied(secretLabel)}
          />
          <p role="status" style={{ margin: '0 0 6px', minHeight: 22 }}>
            {copied ? t('clients.secret.copied', { what: copied }) : ''}
          </p>
          <Button onClick={onDone}>{t('clients.secret.done')}</Button>
        </div>
      }
    />
  );
}
