import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Modal, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LedgerEntry } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { CheckItem } from './check-item.tsx';
import { httpLedgerSource, prettyEntry } from './ledger-api.ts';
import { type Verification, verifyEntry } from './verify-entry.ts';

interface VerifyModalProps {
  entry: LedgerEntry | undefined;
  open: boolean;
  onClose: () => void;
}

function outcome(v: Verification): 'ok' | 'fail' | 'partial' {
  const all = [v.signature, v.leafHash, v.inclusion];
  if (all.some((c) => c.status === 'fail')) return 'fail';
  if (all.every((c) => c.status === 'ok')) return 'ok';
  return 'partial';
}

export function VerifyModal({ entry, open, onClose }: VerifyModalProps) {
  const { t, i18n } = useTranslation();
  const verification = useQuery({
    queryKey: ['ledger', 'verify', entry?.index],
    queryFn: () => verifyEntry(entry!, httpLedgerSource),
    enabled: open && entry !== undefined,
    // Always check afresh against the newest signed tree head.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const v = verification.data;

  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      width={760}
      title={entry ? t('audit.verifyTitle', { index: entry.index }) : ''}
      destroyOnHidden
    >
      <p style={{ marginTop: 0 }}>{t('audit.verifyIntro')}</p>
      {verification.isFetching ? (
        <div style={{ padding: 24, textAlign: 'center' }} role="status">
          <Spin description={t('audit.verifying')} />
        </div>
      ) : null}
      {verification.error ? <ProblemAlert error={verification.error} /> : null}
      {v && !verification.isFetching ? (
        <div aria-live="polite">
          {outcome(v) === 'ok' ? (
            <Alert type="success" showIcon title={t('audit.allPassed')} data-testid="verify-summary" />
          ) : outcome(v) === 'fail' ? (
            <Alert type="error" showIcon title={t('audit.someFailed')} data-testid="verify-summary" />
          ) : (
            <Alert type="info" showIcon title={t('audit.partial')} data-testid="verify-summary" />
          )}
          <ol style={{ listStyle: 'none', padding: 0, margin: '12px 0' }}>
            <CheckItem
              id="signature"
              title={t('audit.checks.signature.title')}
              explanation={t('audit.checks.signature.explanation')}
              result={v.signature}
            />
            <CheckItem
              id="leaf"
              title={t('audit.checks.leaf.title')}
              explanation={t('audit.checks.leaf.explanation')}
              result={v.leafHash}
            />
            <CheckItem
              id="inclusion"
              title={t('audit.checks.inclusion.title')}
              explanation={t('audit.checks.inclusion.explanation')}
              result={v.inclusion}
            />
          </ol>
          <Descriptions size="small" column={1} bordered title={t('audit.treeHead')}>
            <Descriptions.Item label={t('audit.treeSize')}>{v.treeHead.treeSize}</Descriptions.Item>
            <Descriptions.Item label={t('audit.signedAt')}>
              {formatDateTime(v.treeHead.timestamp, i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.rootHash')}>
              <span className="dp-mono">{v.treeHead.rootHash}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.keyId')}>
              <span className="dp-mono">{v.treeHead.keyId}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.computedLeafHash')}>
              <span className="dp-mono">{v.computedLeafHash}</span>
            </Descriptions.Item>
          </Descriptions>
        </div>
      ) : null}
      {entry ? (
        <details style={{ marginTop: 16 }}>
          <summary>{t('audit.entryText')}</summary>
          <pre className="dp-pre dp-mono">{prettyEntry(entry.entry)}</pre>
        </details>
      ) : null}
    </Modal>
  );
}
