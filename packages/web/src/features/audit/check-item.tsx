import { useTranslation } from 'react-i18next';
import { CheckIcon, CrossIcon, PendingIcon } from '../../components/icons.tsx';
import type { CheckResult } from './verify-entry.ts';

interface CheckItemProps {
  id: string;
  title: string;
  explanation: string;
  result: CheckResult;
}

const ICONS = { ok: CheckIcon, fail: CrossIcon, skipped: PendingIcon } as const;
const CLASSES = { ok: 'dp-check-ok', fail: 'dp-check-fail', skipped: 'dp-check-pending' } as const;

/** One verification step: icon and words carry the outcome, so it reads without colour. */
export function CheckItem({ id, title, explanation, result }: CheckItemProps) {
  const { t } = useTranslation();
  const Icon = ICONS[result.status];
  return (
    <li
      className={`dp-check ${CLASSES[result.status]}`}
      data-testid={`check-${id}`}
      data-status={result.status}
    >
      <span className="dp-check-icon">
        <Icon size={22} />
      </span>
      <div>
        <h3>
          {title}
          {t('common.labelSeparator')}
          <strong>{t(`audit.status.${result.status}`)}</strong>
        </h3>
        <p>{explanation}</p>
        {result.status !== 'ok' && result.reason ? (
          <p className="dp-mono" style={{ marginTop: 4 }}>
            {t('audit.reason')}
            {t('common.labelSeparator')}
            {result.reason}
          </p>
        ) : null}
      </div>
    </li>
  );
}
