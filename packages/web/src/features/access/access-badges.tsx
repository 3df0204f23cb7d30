import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format.ts';
import { Badge } from '../catalog/badges.tsx';
import type { LocalizedText } from '../catalog/catalog-types.ts';
import { localized, type Shown } from '../catalog/localized.ts';
import type { Operation } from './access-types.ts';
import { applicationTone, grantTone, timeLeft } from './application-rules.ts';

export function ApplicationStateBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('access.fields.state')}
      text={t(`access.states.${value}`, { defaultValue: value })}
      tone={applicationTone(value)}
    />
  );
}

export function GrantStateBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('access.fields.state')}
      text={t(`access.grantStates.${value}`, { defaultValue: value })}
      tone={grantTone(value)}
    />
  );
}

/** "Overdue" in words next to a red deadline, never the colour alone. */
export function OverdueBadge() {
  const { t } = useTranslation();
  return <Badge text={t('access.review.overdue')} tone="red" />;
}

export function OperationsText({ operations }: { operations: readonly Operation[] }) {
  const { t } = useTranslation();
  return <>{operations.map((o) => t(`access.operations.${o}`)).join(t('common.listSeparator'))}</>;
}

/** An instant with the time left before it (or since it passed), e.g. "12 Dec 2026, 10:00 (in 3 days)". */
export function DeadlineText({ at, ended = false }: { at: string; ended?: boolean }) {
  const { t, i18n } = useTranslation();
  const left = timeLeft(at, new Date(), ended);
  return (
    <span>
      <time dateTime={at}>{formatDateTime(at, i18n.language)}</time>{' '}
      <span className="dp-meta-line">({t(`access.time.${left.key}`, { count: left.count })})</span>
    </span>
  );
}

/** A provider's name as the API gives it: a localised text or a plain (Chinese) name. */
export function providerShown(name: LocalizedText | string, language: string): Shown {
  return typeof name === 'string' ? { text: name, lang: 'zh-CN' } : localized(name, language);
}

export function EntryTitle({ title, code }: { title: LocalizedText; code: string }) {
  const { i18n } = useTranslation();
  const shown = localized(title, i18n.language);
  return <span lang={shown.lang}>{shown.text || code}</span>;
}
