import { useTranslation } from 'react-i18next';
import { Badge } from '../catalog/badges.tsx';
import { planTone, progressTone } from './plan-editor.ts';

export function PlanStateBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('opening.fields.state')}
      text={t(`opening.states.${value}`, { defaultValue: value })}
      tone={planTone(value)}
    />
  );
}

export function ProgressBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('opening.fields.progress')}
      text={t(`opening.progress.${value}`, { defaultValue: value })}
      tone={progressTone(value)}
    />
  );
}
