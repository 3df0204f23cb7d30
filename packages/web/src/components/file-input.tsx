import type { Ref } from 'react';

/**
 * A native file picker inside a labelled form item: keyboard and screen readers get the browser's own
 * control, and an error is tied to it for assistive technology (it is also shown by the form item).
 */
export function FileInput({
  id,
  accept,
  error,
  onFile,
  inputRef,
}: {
  id: string;
  accept: string;
  error: string | undefined;
  onFile: (file: File | undefined) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <>
      <input
        id={id}
        ref={inputRef}
        type="file"
        accept={accept}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onFile(e.target.files?.[0])}
      />
      {error ? (
        <span id={`${id}-error`} className="dp-visually-hidden">
          {error}
        </span>
      ) : null}
    </>
  );
}
