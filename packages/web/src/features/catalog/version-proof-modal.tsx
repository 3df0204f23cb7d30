import { useQuery } from '@tanstack/react-query';
import { Alert, Modal, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { CheckItem } from '../audit/check-item.tsx';
import { ledgerApi } from '../audit/ledger-api.ts';
import { useCatalogApi } from './catalog-api.ts';
import { overallOutcome, verifyVersion } from './version-proof.ts';

interface VersionProofModalProps {
  code: string;
  version: number | undefined;
  onClose: () => void;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

/** Where a version sits in the transparency log, checked in this browser without trusting the server. */
export function VersionProofModal({ code, version, onClose }: VersionProofModalProps) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const open = version !== undefined;
  const check = useQuery({
    queryKey: ['catalog', 'proof', code, version],
    queryFn: async ({ signal }) => {
      const [proof, content] = await Promise.all([
        api.proof(code, version!, signal),
        api.version(code, version!, signal),
      ]);
      const verification = await verifyVersion(proof, code, content.metadata, {
        publicKey: ledgerApi.publicKey,
        inclusionProof: ledgerApi.inclusionProof,
      });
      return { proof, verification };
    },
    enabled: open,
    // Always checked afresh against the newest signed tree head.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const data = check.data;
  const outcome = data ? overallOutcome(data.verification) : undefined;

  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      width={780}
      title={open ? t('catalog.proof.title', { version }) : ''}
      destroyOnHidden
    >
      <p style={{ marginTop: 0 }}>{t('catalog.proof.intro')}</p>
      {check.isFetching ? (
        <div style={{ padding: 24, textAlign: 'center' }} role="status">
          <Spin description={t('audit.verifying')} />
        </div>
      ) : null}
      {check.error ? <ProblemAlert error={check.error} /> : null}
      {data && !check.isFetching ? (
        <div aria-live="polite">
          <Alert
            type={outcome === 'ok' ? 'success' : outcome === 'fail' ? 'error' : 'info'}
            showIcon
            title={t(`catalog.proof.outcome.${outcome}`)}
            data-testid="proof-summary"
            data-outcome={outcome}
          />
          <ol style={{ listStyle: 'none', padding: 0, margin: '12px 0' }}>
            <CheckItem
              id="content"
              title={t('catalog.proof.checks.content.title')}
              explanation={t('catalog.proof.checks.content.explanation')}
              result={data.verification.content}
            />
            <CheckItem
              id="signature"
              title={t('catalog.proof.checks.signature.title')}
              explanation={t('audit.checks.signature.explanation')}
              result={data.verification.signature}
            />
            <CheckItem
              id="leaf"
              title={t('catalog.proof.checks.leaf.title')}
              explanation={t('audit.checks.leaf.explanation')}
              result={data.verification.leafHash}
            />
            <CheckItem
              id="inclusion"
              title={t('catalog.proof.checks.inclusion.title')}
              explanation={t('audit.checks.inclusion.explanation')}
              result={data.verification.inclusion}
            />
          </ol>
          <table className="dp-kv">
            <caption>{t('catalog.proof.factsTitle')}</caption>
            <tbody>
              <Fact label={t('catalog.proof.logIndex')}>
                <span data-testid="proof-log-index">{data.proof.ledgerEntry.index}</span>
              </Fact>
              <Fact label={t('catalog.proof.recordedAt')}>
                {formatDateTime(data.proof.ledgerEntry.recordedAt, i18n.language)}
              </Fact>
              <Fact label={t('catalog.proof.contentHash')}>
                <span className="dp-mono">{data.proof.contentHash}</span>
              </Fact>
              <Fact label={t('catalog.proof.computedContentHash')}>
                <span className="dp-mono">{data.verification.computedContentHash ?? '—'}</span>
              </Fact>
              <Fact label={t('audit.treeSize')}>{data.proof.treeHead.treeSize}</Fact>
              <Fact label={t('audit.rootHash')}>
                <span className="dp-mono">{data.proof.treeHead.rootHash}</span>
              </Fact>
              <Fact label={t('audit.signedAt')}>
                {formatDateTime(data.proof.treeHead.timestamp, i18n.language)}
              </Fact>
              <Fact label={t('audit.keyId')}>
                <span className="dp-mono">{data.proof.treeHead.keyId}</span>
              </Fact>
            </tbody>
          </table>
          <details style={{ marginTop: 16 }}>
            <summary>{t('audit.entryText')}</summary>
            <pre className="dp-pre dp-mono">{data.proof.ledgerEntry.entry}</pre>
          </details>
        </div>
      ) : null}
    </Modal>
  );
}
