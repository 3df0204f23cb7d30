import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Progress, Select, Space } from 'antd';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ForbiddenPage, PageLoading } from '../../app/status-pages.tsx';
import { FileInput } from '../../components/file-input.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatBytes } from '../catalog/format-catalog.ts';
import { useDatastoreApi } from './datastore-api.ts';
import type { DatastoreResource, LoadRequest, LoadStarted } from './datastore-types.ts';
import { LoadProgress } from './load-progress.tsx';
import '../catalog/catalog.css';
import './datastore.css';
import { ResourceUnavailable, useResource } from './resource-query.tsx';

const ACCEPT = '.csv,.tsv,.txt,.xlsx,.json,.ndjson,.geojson,.gz,.zip';
const ENCODINGS = ['auto', 'utf-8', 'gb18030', 'gbk', 'big5', 'windows-1252'] as const;
// Delimiters by name: a tab cannot be typed into a text box.
const DELIMITERS = { auto: '', comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;
type DelimiterName = keyof typeof DELIMITERS;

interface UploadValues {
  encoding: (typeof ENCODINGS)[number];
  delimiter: DelimiterName;
  header: boolean;
  sheet?: string;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function UploadView({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const fileId = useId();
  const [form] = Form.useForm<UploadValues>();
  const [file, setFile] = useState<File | undefined>();
  const [fileError, setFileError] = useState<string | undefined>();
  const [sent, setSent] = useState<{ loaded: number; total: number } | undefined>();
  const [load, setLoad] = useState<LoadStarted | undefined>();
  const controller = useRef<AbortController | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);
  const isExcel = file?.name.toLowerCase().endsWith('.xlsx') ?? false;

  const start = useMutation({
    mutationFn: async ({ values, chosen }: { values: UploadValues; chosen: File }) => {
      controller.current = new AbortController();
      setSent({ loaded: 0, total: chosen.size });
      const uploaded = await api.upload(
        chosen,
        (loaded, total) => setSent({ loaded, total }),
        controller.current.signal,
      );
      const body: LoadRequest = { uploadId: uploaded.id, header: values.header };
      if (values.encoding !== 'auto') body.encoding = values.encoding;
      if (values.delimiter !== 'auto') body.delimiter = DELIMITERS[values.delimiter];
      const sheet = values.sheet?.trim();
      if (isExcel && sheet) body.sheet = /^\d+$/.test(sheet) ? Number(sheet) : sheet;
      return api.load(resource.id, body);
    },
    onSuccess: setLoad,
  });

  const reset = () => {
    start.reset();
    setLoad(undefined);
    setSent(undefined);
    setFile(undefined);
    if (fileInput.current) fileInput.current.value = '';
    fileInput.current?.focus();
  };

  const percent = sent && sent.total > 0 ? Math.min(100, Math.round((sent.loaded / sent.total) * 100)) : 0;
  const sentText = sent
    ? t('datastore.upload.sent', {
        done: formatBytes(sent.loaded, i18n.language),
        total: formatBytes(sent.total, i18n.language),
      })
    : '';
  const uploading = start.isPending && load === undefined;
  const uploadDone = load !== undefined;

  return (
    <>
      <PageHeader
        title={t('datastore.upload.title', { name: resource.name })}
        description={
          <>
            {t('datastore.upload.intro')}{' '}
            <Link to={`/data/${encodeURIComponent(resource.id)}`}>{t('datastore.upload.backToTable')}</Link>
          </>
        }
      />
      <Card
        title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('datastore.upload.fileTitle')}</h2>}
        style={{ marginBottom: 20 }}
      >
        <Form<UploadValues>
          form={form}
          name="upload"
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ encoding: 'auto', delimiter: 'auto', header: true }}
          disabled={start.isPending || (load !== undefined && !start.isIdle)}
          onFinish={(values) => {
            if (file === undefined) {
              setFileError(t('datastore.upload.fileRequired'));
              fileInput.current?.focus();
              return;
            }
            setLoad(undefined);
            start.mutate({ values, chosen: file });
          }}
        >
          <Form.Item
            label={t('datastore.upload.file')}
            htmlFor={fileId}
            required
            extra={t('datastore.upload.fileHelp')}
            {...(fileError ? { validateStatus: 'error' as const, help: fileError } : {})}
          >
            <FileInput
              id={fileId}
              inputRef={fileInput}
              accept={ACCEPT}
              error={fileError}
              onFile={(chosen) => {
                setFile(chosen);
                setFileError(undefined);
              }}
            />
          </Form.Item>
          {file ? (
            <p className="dp-meta-line" data-testid="chosen-file">
              {t('datastore.upload.chosen', { name: file.name, size: formatBytes(file.size, i18n.language) })}
            </p>
          ) : null}
          <Form.Item
            label={t('datastore.upload.encoding')}
            name="encoding"
            extra={t('datastore.upload.encodingHelp')}
          >
            <Select
              style={{ maxWidth: 320 }}
              options={ENCODINGS.map((e) => ({
                value: e,
                label: e === 'auto' ? t('datastore.upload.auto') : e.toUpperCase(),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('datastore.upload.delimiter')} name="delimiter">
            <Select
              style={{ maxWidth: 320 }}
              options={(Object.keys(DELIMITERS) as DelimiterName[]).map((d) => ({
                value: d,
                label: t(`datastore.upload.delimiters.${d}`),
              }))}
            />
          </Form.Item>
          {isExcel ? (
            <Form.Item
              label={t('datastore.upload.sheet')}
              name="sheet"
              extra={t('datastore.upload.sheetHelp')}
            >
              <Input style={{ maxWidth: 320 }} />
            </Form.Item>
          ) : null}
          <Form.Item name="header" valuePropName="checked" extra={t('datastore.upload.headerHelp')}>
            <Checkbox>{t('datastore.upload.header')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={start.isPending}>
            {t('datastore.upload.start')}
          </Button>
        </Form>
      </Card>
      {sent ? (
        <Card
          title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('datastore.upload.progressTitle')}</h2>}
          style={{ marginBottom: 20 }}
          data-testid="upload-progress"
        >
          <Progress
            percent={uploadDone ? 100 : percent}
            status={start.error ? 'exception' : uploadDone ? 'success' : 'active'}
            aria-label={t('datastore.upload.progressLabel')}
            aria-valuetext={sentText}
          />
          <p className="dp-progress-figures" role="status">
            {uploadDone
              ? t('datastore.upload.sentDone', { total: formatBytes(sent.total, i18n.language) })
              : sentText}
          </p>
          {uploading ? (
            <Space style={{ marginTop: 12 }}>
              <Button danger onClick={() => controller.current?.abort()}>
                {t('datastore.upload.cancel')}
              </Button>
            </Space>
          ) : null}
          {start.error ? (
            <div style={{ marginTop: 12 }}>
              {isAbort(start.error) ? (
                <Alert type="info" showIcon title={t('datastore.upload.cancelled')} />
              ) : (
                <ProblemAlert error={start.error} />
              )}
            </div>
          ) : null}
        </Card>
      ) : null}
      {load ? (
        <LoadProgress
          key={load.jobId}
          resourceId={resource.id}
          jobId={load.jobId}
          version={load.version}
          onAnother={reset}
        />
      ) : null}
    </>
  );
}

/** Loads a new version of a data table from a file: upload with progress, then validation and loading. */
export function UploadPage() {
  const { id = '' } = useParams();
  const resource = useResource(id);
  if (resource.isPending) return <PageLoading />;
  if (resource.error) return <ResourceUnavailable error={resource.error} />;
  if (!resource.data.access.manage) return <ForbiddenPage />;
  return <UploadView resource={resource.data} />;
}
