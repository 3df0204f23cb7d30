import { useTranslation } from 'react-i18next';
import { Badge } from '../catalog/badges.tsx';
import { ROUTE_TONES, reasonText } from './transfers-model.ts';
import type { RouteAssessment, TransferRoute, TransferState } from './transfers-types.ts';

const STATE_TONES = { draft: 'grey', submitted: 'blue', approved: 'green', rejected: 'red' } as const;

export function RouteBadge({ value }: { value: TransferRoute }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('securityTransfers.fields.route')}
      text={t(`securityTransfers.routes.${value}`)}
      tone={ROUTE_TONES[value]}
    />
  );
}

export function TransferStateBadge({ value }: { value: TransferState }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('securityTransfers.fields.state')}
      text={t(`securityTransfers.states.${value}`)}
      tone={STATE_TONES[value]}
    />
  );
}

/** The route with every reason for it and the year's cumulative counts it was computed on. */
export function RouteExplanation({ assessment }: { assessment: RouteAssessment }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => v.toLocaleString(i18n.language);
  return (
    <div>
      <RouteBadge value={assessment.route} />
      <ul>
        {assessment.reasons.map((r) => {
          const { key, values } = reasonText(r);
          return (
            <li key={r.code}>
              {t(key, { value: n(values.value ?? 0), threshold: n(values.threshold ?? 0) })}
            </li>
          );
        })}
      </ul>
      <p>
        {t('securityTransfers.cumulative', {
          year: assessment.year,
          people: n(assessment.cumulative.people),
          sensitive: n(assessment.cumulative.sensitivePeople),
          earlierPeople: n(assessment.earlier.people),
          earlierSensitive: n(assessment.earlier.sensitivePeople),
        })}
      </p>
    </div>
  );
}
