import { useMutation } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, Radio, Select } from 'antd';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { FileInput } from '../../components/file-input.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { hasPermission, PERMISSIONS, useSession } from '../auth/session.ts';
import { useCatalogApi } from './catalog-api.ts';
import { HARVEST_FORMATS, type HarvestFormat } from './catalog-types.ts';
import { ImportJob } from './import-job.tsx';
import { organizationName } from './localized.ts';
import { harvestableInstitutions, useInstitutions } from './use-catalog-data.ts';
import './catalog.css';

interface ImportValues {
  organizationId: string;
  source: 'url' | 'file';
  url?: string;
  format: HarvestFormat | 'auto';
  publish: boolean;
}

/** Imports (harvests) a DCAT catalog into an institution, from a URL or a file read in the browser. */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  const [params] = useSearchParams();
  const [form] = Form.useForm<ImportValues>();
  const fileId = useId();
  const [file, setFile] = useState<File | undefined>();
  const [fileError, setFileError] = useState<string | undefined>();
  const [job, setJob] = useState<{ id: string; institutionCode: string | undefined } | undefined>();
  const choices = useMemo(() => harvestableInstitutions(user, institutions.data), [user, institutions.data]);
  const canPublish = hasPermission(user, PERMISSIONS.catalogReview);
  const source = Form.useWatch('source', form) ?? 'url';
  const wanted = params.get('organization');
  const preselected = choices.find((o) => o.code === wanted || o.id === wanted) ?? choices[0];

  const start = useMutation({
    mutationFn: async (values: ImportValues) => {
      const content = values.source === 'file' && file ? await file.text() : undefined;
      return api.harvest({
        organizationId: values.organizationId,
        ...(values.source === 'url' ? { url: values.url?.trim() ?? '' } : { content: content ?? '' }),
        ...(values.format === 'auto' ? {} : { format: values.format }),
        publish: canPublish && values.publish,
      });
    },
    onSuccess: ({ jobId }, values) =>
      setJob({ id: jobId, institutionCode: choices.find((o) => o.id === values.organizationId)?.code }),
  });

  if (institutions.isPending) return <PageLoading />;

  return (
    <>
      <PageHeader title={t('catalog.import.title')} description={t('catalog.import.intro')} />
      {institutions.error ? <ProblemAlert error={institutions.error} /> : null}
      <Card style={{ marginBottom: 20 }}>
        <Form<ImportValues>
          form={form}
          name="harvest"
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ organizationId: preselected?.id, source: 'url', format: 'auto', publish: false }}
          disabled={start.isPending}
          onFinish={(values) => {
            if (values.source === 'file' && file === undefined) {
              setFileError(t('catalog.import.fileRequired'));
              document.getElementById(fileId)?.focus();
              return;
            }
            setJob(undefined);
            start.mutate(values);
          }}
        >
          <Form.Item
            label={t('catalog.import.institution')}
            name="organizationId"
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={choices.map((o) => ({ value: o.id, label: organizationName(o, i18n.language).text }))}
            />
          </Form.Item>
          <Form.Item label={t('catalog.import.source')} name="source" required>
            <Radio.Group
              aria-label={t('catalog.import.source')}
              options={[
                { value: 'url', label: t('catalog.import.sourceUrl') },
                { value: 'file', label: t('catalog.import.sourceFile') },
              ]}
            />
          </Form.Item>
          {source === 'url' ? (
            <Form.Item
              label={t('catalog.import.url')}
              name="url"
              extra={t('catalog.import.urlHelp')}
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                { pattern: /^https?:\/\//, message: t('catalog.editor.urlInvalid') },
              ]}
            >
              <Input type="url" inputMode="url" autoComplete="url" />
            </Form.Item>
          ) : (
            <Form.Item
              label={t('catalog.import.file')}
              htmlFor={fileId}
              required
              extra={t('catalog.import.fileHelp')}
              {...(fileError ? { validateStatus: 'error' as const, help: fileError } : {})}
            >
              <FileInput
                id={fileId}
                accept=".ttl,.jsonld,.json,.rdf,.xml,.nt,text/turtle,application/ld+json,application/rdf+xml,application/json"
                error={fileError}
                onFile={(chosen) => {
                  setFile(chosen);
                  setFileError(undefined);
                }}
              />
            </Form.Item>
          )}
          <Form.Item label={t('catalog.import.format')} name="format">
            <Select
              style={{ maxWidth: 320 }}
              options={[
                { value: 'auto', label: t('catalog.import.formats.auto') },
                ...HARVEST_FORMATS.map((f) => ({ value: f, label: t(`catalog.import.formats.${f}`) })),
              ]}
            />
          </Form.Item>
          {canPublish ? (
            <Form.Item name="publish" valuePropName="checked" extra={t('catalog.import.publishHelp')}>
              <Checkbox>{t('catalog.import.publish')}</Checkbox>
            </Form.Item>
          ) : null}
          {start.error ? (
            <div style={{ marginBottom: 16 }}>
              <ProblemAlert error={start.error} />
            </div>
          ) : null}
          <Button type="primary" htmlType="submit" loading={start.isPending}>
            {t('catalog.import.start')}
          </Button>
        </Form>
      </Card>
      {job ? <ImportJob key={job.id} jobId={job.id} institutionCode={job.institutionCode} /> : null}
    </>
  );
}
