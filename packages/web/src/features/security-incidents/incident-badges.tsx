import { useTranslation } from 'react-i18next';
import { Badge } from '../catalog/badges.tsx';
import { deadlineStatus, formatMinutes } from './incidents-model.ts';
import type { Incident } from './incidents-types.ts';

const SEVERITY_TONES = {
  'especially-major': 'red',
  major: 'red',
  'relatively-major': 'orange',
  general: 'blue',
} as const;
const STATE_TONES = { open: 'orange', contained: 'purple', resolved: 'green', closed: 'grey' } as const;

export function SeverityBadge({ value }: { value: Incident['severity'] }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('securityIncidents.fields.severity')}
      text={t(`securityIncidents.severity.${value}`)}
      tone={SEVERITY_TONES[value]}
    />
  );
}

export function IncidentStateBadge({ value }: { value: Incident['state'] }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('securityIncidents.fields.state')}
      text={t(`securityIncidents.states.${value}`)}
      tone={STATE_TONES[value]}
    />
  );
}

/** The reporting deadline in words; overdue ones in red with the word "overdue", not colour alone. */
export function DeadlineText({
  incident,
}: {
  incident: Pick<Incident, 'deadlineAt' | 'reportedAt' | 'overdue'>;
}) {
  const { t } = useTranslation();
  const status = deadlineStatus(incident, new Date());
  switch (status.kind) {
    case 'none':
      return <span>{t('securityIncidents.deadline.none')}</span>;
    case 'reported':
      return (
        <span>
          {status.late
            ? t('securityIncidents.deadline.reportedLate')
            : t('securityIncidents.deadline.reported')}
        </span>
      );
    case 'overdue':
      return (
        <span className="dp-overdue">
          <span aria-hidden="true">⚠ </span>
          {t('securityIncidents.deadline.overdue', { time: formatMinutes(status.by) })}
        </span>
      );
    default:
      return <span>{t('securityIncidents.deadline.due', { time: formatMinutes(status.in) })}</span>;
  }
}
