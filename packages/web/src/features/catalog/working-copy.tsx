import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { StateBadge } from './badges.tsx';
import { ButtonLink } from './button-link.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { EntryDetail } from './catalog-types.ts';

function RetireModal({ code, open, onClose }: { code: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const retire = useMutation({
    mutationFn: (reason: string) => api.retire(code, reason),
    onSuccess: () => {
      void message.success(t('catalog.working.retired'));
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('catalog.working.retireTitle')}
      okText={t('catalog.working.retire')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={retire.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => retire.reset()}
    >
      <p>{t('catalog.working.retireExplanation')}</p>
      <Form
        form={form}
        name="retire"
        layout="vertical"
        preserve={false}
        onFinish={(v) => retire.mutate(v.reason.trim())}
      >
        <Form.Item
          label={t('catalog.working.reason')}
          name="reason"
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            { min: 2, message: t('common.required') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {retire.error ? <ProblemAlert error={retire.error} /> : null}
      </Form>
    </Modal>
  );
}

/**
 * What the provider's staff see beyond the published entry: the version being worked on, its state,
 * the reviewer's comments when it came back, and the Edit and Retire actions.
 */
export function WorkingCopyCard({ detail }: { detail: EntryDetail }) {
  const { t, i18n } = useTranslation();
  const [retiring, setRetiring] = useState(false);
  const { entry, working, returned, can } = detail;
  if (working === undefined && returned === undefined && !can.edit && !can.submit) return null;
  const state = working?.state ?? entry.state;
  const version = working?.version ?? entry.version;
  const code = entry.code;
  const publishedVersion = detail.published && working !== undefined ? entry.version : undefined;
  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.working.title')}</h2>}
      style={{ marginBottom: 20 }}
      data-testid="working-copy"
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <p style={{ margin: 0 }}>
          {t('catalog.working.stateLine', { version })} <StateBadge value={state} group="entry" />
        </p>
        {working !== undefined && detail.published ? (
          <p style={{ margin: 0 }}>{t('catalog.working.pending')}</p>
        ) : null}
        {returned ? (
          <Alert
            type="warning"
            showIcon
            title={t('catalog.working.returnedTitle', { at: formatDateTime(returned.at, i18n.language) })}
            description={
              <>
                {returned.comment ? (
                  <p style={{ margin: 0 }}>
                    {t('catalog.working.reviewerComment')}
                    {t('common.labelSeparator')}
                    {returned.comment}
                  </p>
                ) : null}
                {returned.entryComment ? (
                  <p style={{ margin: 0 }}>
                    {t('catalog.working.entryComment')}
                    {t('common.labelSeparator')}
                    {returned.entryComment}
                  </p>
                ) : null}
              </>
            }
          />
        ) : null}
        <Space wrap>
          {can.edit ? (
            <ButtonLink to={`/catalog/entries/${encodeURIComponent(code)}/edit`} type="primary">
              {t('common.edit')}
            </ButtonLink>
          ) : null}
          {can.submit && state !== 'retired' && state !== 'submitted' ? (
            <Button danger onClick={() => setRetiring(true)}>
              {t('catalog.working.retire')}
            </Button>
          ) : null}
          {publishedVersion !== undefined ? (
            <Link
              to={`/catalog/entries/${encodeURIComponent(code)}?tab=history&from=${publishedVersion}&to=${version}`}
            >
              {t('catalog.working.compare')}
            </Link>
          ) : null}
          <Link to={`/catalog/institutions/${encodeURIComponent(entry.provider.code)}`}>
            {t('catalog.working.institutionCatalog')}
          </Link>
        </Space>
      </Space>
      <RetireModal code={code} open={retiring} onClose={() => setRetiring(false)} />
    </Card>
  );
}
