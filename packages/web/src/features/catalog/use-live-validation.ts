import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { CatalogApi } from './catalog-api.ts';
import type { EntryMetadata, ValidationResult } from './catalog-types.ts';
import { pathSegments } from './problem-paths.ts';

export type CheckStatus = 'idle' | 'checking' | 'valid' | 'invalid' | 'failed';
export type SettledStatus = Exclude<CheckStatus, 'checking'>;

const DELAY_MS = 500;

function valueAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const part of pathSegments(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Checks the metadata against the catalog standard as the user types (POST /catalog/validate, debounced).
 * Only the answer to the latest request counts; structural refusals (a 400 before the standard is even
 * applied, e.g. an empty field name) become readable messages too.
 */
export function useLiveValidation(api: CatalogApi) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CheckStatus>('idle');
  // The outcome of the last finished check, kept while the next one runs.
  const [settled, setSettled] = useState<SettledStatus>('idle');
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [result, setResult] = useState<ValidationResult | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sequence = useRef(0);

  const structuralMessage = useCallback(
    (metadata: EntryMetadata, path: string): string => {
      const value = valueAt(metadata, path);
      if (value === undefined || value === null || value === '') return t('common.required');
      const last = pathSegments(path).pop();
      if (last === 'url') return t('catalog.editor.urlInvalid');
      if (last === 'name') return t('catalog.editor.nameInvalid');
      return t('catalog.editor.invalidValue');
    },
    [t],
  );

  const run = useCallback(
    async (metadata: EntryMetadata) => {
      const id = ++sequence.current;
      setStatus('checking');
      try {
        const answer = await api.validate(metadata);
        if (id !== sequence.current) return;
        setResult(answer);
        setErrors(answer.errors);
        setFailure(undefined);
        setStatus(answer.valid ? 'valid' : 'invalid');
        setSettled(answer.valid ? 'valid' : 'invalid');
      } catch (error) {
        if (id !== sequence.current) return;
        if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) {
          setErrors(
            error.errors.map((e) => ({ path: e.path, message: structuralMessage(metadata, e.path) })),
          );
          setFailure(undefined);
          setStatus('invalid');
          setSettled('invalid');
        } else {
          setFailure(error);
          setStatus('failed');
          setSettled('failed');
        }
      }
    },
    [api, structuralMessage],
  );

  const schedule = useCallback(
    (metadata: EntryMetadata) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(metadata), DELAY_MS);
    },
    [run],
  );

  /** Shows messages a save was refused with, and stops any check still under way from replacing them. */
  const adopt = useCallback(
    (metadata: EntryMetadata, refused: ApiError) => {
      clearTimeout(timer.current);
      sequence.current += 1;
      setErrors(
        refused.code === 'VALIDATION_FAILED'
          ? refused.errors.map((e) => ({ path: e.path, message: structuralMessage(metadata, e.path) }))
          : refused.errors,
      );
      setStatus('invalid');
      setSettled('invalid');
    },
    [structuralMessage],
  );

  useEffect(() => () => clearTimeout(timer.current), []);

  return { status, settled, errors, result, failure, schedule, checkNow: run, adopt };
}
