import type { FieldError } from '../../api/client.ts';
import type { DatastoreIntake, IntakeFormat, IntakeRequest, IntakeStatus } from './datastore-types.ts';

/** The interval bounds the server accepts: five minutes to 31 days. */
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 60 * 24 * 31;

/** Intervals offered by name; any other number of minutes is a custom interval. */
export const INTERVAL_PRESETS = {
  every15Minutes: 15,
  hourly: 60,
  every6Hours: 360,
  daily: 60 * 24,
  weekly: 60 * 24 * 7,
} as const;
export type IntervalPreset = keyof typeof INTERVAL_PRESETS;
export type Frequency = IntervalPreset | 'custom';
export const FREQUENCIES = [...(Object.keys(INTERVAL_PRESETS) as IntervalPreset[]), 'custom'] as const;

export const DEFAULT_INTERVAL_MINUTES = INTERVAL_PRESETS.daily;

/** The format select's values: `auto` leaves the format to the response's content type. */
export type FormatChoice = IntakeFormat | 'auto';

export interface IntakeFormValues {
  url: string;
  format: FormatChoice;
  frequency: Frequency;
  /** Read when the frequency is `custom`; kept in step with the preset otherwise. */
  intervalMinutes: number;
  enabled: boolean;
}

/** The preset a number of minutes stands for, or `custom`. */
export function frequencyOf(minutes: number): Frequency {
  for (const [name, value] of Object.entries(INTERVAL_PRESETS))
    if (value === minutes) return name as IntervalPreset;
  return 'custom';
}

/** Minutes between pulls: the preset's, or the custom number. */
export function minutesOf(frequency: Frequency, customMinutes: number): number {
  return frequency === 'custom' ? customMinutes : INTERVAL_PRESETS[frequency];
}

/** The form's starting values: the saved intake's, or a daily, enabled pull of an address still to fill in. */
export function formValuesOf(intake: DatastoreIntake | null): IntakeFormValues {
  if (intake === null)
    return {
      url: '',
      format: 'auto',
      frequency: frequencyOf(DEFAULT_INTERVAL_MINUTES),
      intervalMinutes: DEFAULT_INTERVAL_MINUTES,
      enabled: true,
    };
  return {
    url: intake.url,
    format: intake.format ?? 'auto',
    frequency: frequencyOf(intake.intervalMinutes),
    intervalMinutes: intake.intervalMinutes,
    enabled: intake.enabled,
  };
}

/** The PUT body for the form's values; an automatic format is left out. */
export function intakeRequest(values: IntakeFormValues): IntakeRequest {
  const body: IntakeRequest = {
    url: values.url.trim(),
    intervalMinutes: minutesOf(values.frequency, values.intervalMinutes),
    enabled: values.enabled,
  };
  if (values.format !== 'auto') body.format = values.format;
  return body;
}

export type IntakeTone = 'green' | 'blue' | 'red' | 'grey';

/** Badge tone of the last run's result; its name is always written next to it. */
export function intakeStatusTone(status: IntakeStatus | null): IntakeTone {
  switch (status) {
    case 'loaded':
      return 'green';
    case 'unchanged':
      return 'blue';
    case 'failed':
      return 'red';
    default:
      return 'grey';
  }
}

/** Translation key of the last run's result; `never` before the first pull. */
export function intakeStatusKey(status: IntakeStatus | null): string {
  return `datastore.intake.statuses.${status ?? 'never'}`;
}

export type IntakeField = 'url' | 'format' | 'frequency' | 'intervalMinutes';

/**
 * The server's field errors (paths like `/url` or `intervalMinutes`) as the form fields they belong to.
 * An interval chosen from the presets is shown on the frequency select, the field the reader used.
 */
export function intakeFieldErrors(
  errors: readonly FieldError[],
  frequency: Frequency,
): { field: IntakeField; reason: string }[] {
  const out: { field: IntakeField; reason: string }[] = [];
  for (const error of errors) {
    const name = error.path.split(/[/.]/).filter(Boolean).pop() ?? '';
    if (name === 'url' || name === 'format') out.push({ field: name, reason: error.message });
    else if (name === 'intervalMinutes')
      out.push({ field: frequency === 'custom' ? 'intervalMinutes' : 'frequency', reason: error.message });
  }
  return out;
}
