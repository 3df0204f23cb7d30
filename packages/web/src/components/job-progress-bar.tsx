import { Progress } from 'antd';

/** The states after which a background job changes no more. */
export const JOB_FINISHED: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * A background job's progress bar and the sentence that says where it is: the bar is named for screen
 * readers and reads the sentence as its value; the sentence is a live status region.
 */
export function JobProgressBar({
  percent,
  status,
  label,
  text,
  testId,
}: {
  percent: number;
  status: string;
  label: string;
  text: string;
  testId: string;
}) {
  return (
    <>
      <Progress
        percent={percent}
        status={
          status === 'failed' || status === 'cancelled'
            ? 'exception'
            : status === 'succeeded'
              ? 'success'
              : 'active'
        }
        aria-label={label}
        aria-valuetext={text}
      />
      <p role="status" data-testid={testId} data-job-status={status}>
        {text}
      </p>
    </>
  );
}
