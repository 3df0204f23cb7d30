import { useTranslation } from 'react-i18next';
import { useLabels } from './use-catalog-data.ts';
import './catalog.css';

type Tone = 'green' | 'blue' | 'orange' | 'red' | 'purple' | 'grey';

const OPEN_TONES: Record<string, Tone> = { unconditional: 'green', conditional: 'orange', not_open: 'grey' };
const SHARE_TONES: Record<string, Tone> = {
  unconditional: 'green',
  conditional: 'orange',
  not_shared: 'grey',
};
const GRADE_TONES: Record<string, Tone> = {
  core: 'red',
  important: 'orange',
  'general-4': 'purple',
  'general-3': 'blue',
  'general-2': 'blue',
  'general-1': 'green',
};
const STATE_TONES: Record<string, Tone> = {
  draft: 'grey',
  submitted: 'blue',
  returned: 'orange',
  published: 'green',
  retired: 'grey',
  pending: 'blue',
  approved: 'green',
  open: 'orange',
  accepted: 'green',
  rejected: 'grey',
};

interface BadgeProps {
  /** What the badge is about, read by screen readers before the value ("Open type: …"). */
  kind?: string;
  text: string;
  tone: Tone;
}

/** A labelled value with a colour: the words carry the meaning, the colour only repeats it. */
export function Badge({ kind, text, tone }: BadgeProps) {
  const { t } = useTranslation();
  return (
    <span className={`dp-badge dp-tone-${tone}`}>
      {kind ? (
        <span className="dp-visually-hidden">
          {kind}
          {t('common.labelSeparator')}
        </span>
      ) : null}
      {text}
    </span>
  );
}

export function OpenTypeBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  const { code } = useLabels();
  return (
    <Badge
      kind={t('catalog.fields.openType')}
      text={code('openTypes', value)}
      tone={OPEN_TONES[value] ?? 'grey'}
    />
  );
}

export function ShareTypeBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  const { code } = useLabels();
  return (
    <Badge
      kind={t('catalog.fields.shareType')}
      text={code('shareTypes', value)}
      tone={SHARE_TONES[value] ?? 'grey'}
    />
  );
}

export function GradeBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  const { code } = useLabels();
  return (
    <Badge
      kind={t('catalog.fields.grade')}
      text={code('grades', value)}
      tone={GRADE_TONES[value] ?? 'grey'}
    />
  );
}

/** States of entries (draft … retired), submissions (pending …) and objections (open …). */
export function StateBadge({ value, group }: { value: string; group: 'entry' | 'submission' | 'objection' }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('catalog.fields.state')}
      text={t(`catalog.states.${group}.${value}`, { defaultValue: value })}
      tone={STATE_TONES[value] ?? 'grey'}
    />
  );
}

/** Open type, share type and grade of an entry, as a list. */
export function EntryBadges({
  openType,
  shareType,
  grade,
}: {
  openType: string;
  shareType: string;
  grade: string;
}) {
  const { t } = useTranslation();
  return (
    <ul className="dp-badges" aria-label={t('catalog.badgesLabel')}>
      <li>
        <OpenTypeBadge value={openType} />
      </li>
      <li>
        <ShareTypeBadge value={shareType} />
      </li>
      <li>
        <GradeBadge value={grade} />
      </li>
    </ul>
  );
}
