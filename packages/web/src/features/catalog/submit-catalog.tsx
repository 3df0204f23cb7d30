import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCatalogApi } from './catalog-api.ts';
import { useChangeLabel } from './entry-history.tsx';
import { localized } from './localized.ts';
import { groupByEntry } from './problem-paths.ts';

/** Per-entry problems of a refused submission, each entry linking to its editor. */
function SubmitProblems({ error, organizationId }: { error: ApiError; organizationId: string }) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const label = useChangeLabel();
  const groups = groupByEntry(error.errors);
  // The problems name entries by code; their titles make them recognisable.
  const entries = useQuery({
    queryKey: ['catalog', 'institution-entries', organizationId, 'all'],
    queryFn: ({ signal }) => api.institutionEntries(organizationId, undefined, signal),
  });
  const titleOf = (code: string) => {
    const entry = entries.data?.find((e) => e.code === code);
    return entry ? localized(entry.title, i18n.language) : undefined;
  };
  return (
    <div data-testid="submit-problems">
      <Alert
        type="error"
        showIcon
        title={t('catalog.submit.refused', { count: groups.length })}
        description={error.detail}
      />
      <ul style={{ marginTop: 12, paddingLeft: 20 }}>
        {groups.map((group) => (
          <li key={group.code} style={{ marginBottom: 8 }}>
            {titleOf(group.code) ? (
              <>
                <span lang={titleOf(group.code)?.lang}>{titleOf(group.code)?.text}</span>{' '}
              </>
            ) : null}
            <Link to={`/catalog/entries/${encodeURIComponent(group.code)}/edit`} className="dp-mono">
              {group.code}
            </Link>
            <ul style={{ paddingLeft: 20 }}>
              {group.problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  {p.path ? (
                    <>
                      <strong>{label(p.path)}</strong>
                      {t('common.labelSeparator')}
                    </>
                  ) : null}
                  {p.message}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Submit catalog": sends every draft and returned entry of the institution to the operator's review. */
export function SubmitCatalogButton({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ comment?: string }>();
  const submit = useMutation({
    mutationFn: (comment: string | undefined) =>
      api.submit({ organizationId, ...(comment?.trim() ? { comment: comment.trim() } : {}) }),
    onSuccess: (submission) => {
      void message.success(t('catalog.submit.done', { count: submission.entries.length }));
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      setOpen(false);
    },
  });
  const problems =
    submit.error instanceof ApiError && submit.error.errors.length > 0 ? submit.error : undefined;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('catalog.submit.button')}
      </Button>
      <Modal
        open={open}
        width={720}
        title={t('catalog.submit.title')}
        okText={t('catalog.submit.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={submit.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        afterClose={() => submit.reset()}
      >
        <p>{t('catalog.submit.explanation')}</p>
        <Form
          form={form}
          name="submit"
          layout="vertical"
          preserve={false}
          onFinish={(v) => submit.mutate(v.comment)}
        >
          <Form.Item label={t('catalog.submit.comment')} name="comment">
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
        {problems ? (
          <SubmitProblems error={problems} organizationId={organizationId} />
        ) : submit.error ? (
          <ProblemAlert error={submit.error} />
        ) : null}
      </Modal>
    </>
  );
}
