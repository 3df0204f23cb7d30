import { Alert, Button, Input, Space } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface TokenCreatedProps {
  token: string;
  onDone: () => void;
}

/** The secret exists in clear only in this response; the server keeps a hash, so say so plainly. */
export function TokenCreated({ token, onDone }: TokenCreatedProps) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <Alert
      type="warning"
      showIcon
      title={t('tokens.createdTitle')}
      description={
        <div>
          <p style={{ margin: '0 0 8px' }}>{t('tokens.createdWarning')}</p>
          <label htmlFor={id} style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
            {t('tokens.secret')}
          </label>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              id={id}
              readOnly
              value={token}
              className="dp-mono"
              data-testid="new-token"
              // Focus lands on the secret as soon as it appears, so no one misses it.
              autoFocus
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(token);
                  setCopied(true);
                } catch {
                  document.getElementById(id)?.focus();
                }
              }}
            >
              {t('tokens.copy')}
            </Button>
          </Space.Compact>
          <p role="status" style={{ margin: '6px 0 0', minHeight: 22 }}>
            {copied ? t('tokens.copied') : ''}
          </p>
          <Button style={{ marginTop: 4 }} onClick={onDone}>
            {t('tokens.done')}
          </Button>
        </div>
      }
    />
  );
}
