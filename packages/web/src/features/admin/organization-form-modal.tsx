import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ORGANIZATION_KINDS, type Organization, type OrganizationKind } from '../../api/types.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { adminApi, withoutEmpty } from './admin-api.ts';
import { applyFieldErrors } from './form-errors.ts';

interface OrganizationFormValues {
  code: string;
  name: string;
  nameEn?: string;
  kind: OrganizationKind;
  creditCode: string;
}

interface OrganizationFormModalProps {
  open: boolean;
  /** Present when editing; code and kind are fixed once created. */
  organization?: Organization | undefined;
  onClose: () => void;
}

const FIELDS = ['code', 'name', 'nameEn', 'kind', 'creditCode'] as const;

export function OrganizationFormModal({ open, organization, onClose }: OrganizationFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OrganizationFormValues>();
  const queryClient = useQueryClient();
  const editing = organization !== undefined;

  const save = useMutation({
    mutationFn: async (values: OrganizationFormValues) => {
      if (organization) {
        const { name, nameEn, creditCode } = values;
        return adminApi.updateOrganization(organization.id, {
          ...withoutEmpty({ name, creditCode }),
          // An emptied English name is sent as null, which clears it.
          nameEn: nameEn?.trim() || null,
        });
      }
      const { nameEn, ...required } = values;
      return adminApi.createOrganization({ ...required, ...withoutEmpty({ nameEn }) });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['organizations'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, FIELDS),
  });

  return (
    <Modal
      open={open}
      title={editing ? t('organizations.editTitle') : t('organizations.createTitle')}
      okText={editing ? t('common.save') : t('organizations.create')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => save.reset()}
    >
      <Form<OrganizationFormValues>
        name="organization"
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          organization
            ? {
                code: organization.code,
                name: organization.name,
                nameEn: organization.nameEn ?? '',
                kind: organization.kind,
                creditCode: organization.creditCode,
              }
            : { kind: 'institution' }
        }
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          label={t('organizations.code')}
          name="code"
          extra={editing ? undefined : t('organizations.codeHelp')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input disabled={editing} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('organizations.name')}
          name="name"
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoComplete="organization" />
        </Form.Item>
        <Form.Item label={t('organizations.nameEn')} name="nameEn">
          <Input lang="en" />
        </Form.Item>
        <Form.Item label={t('organizations.kind')} name="kind" rules={[{ required: true }]}>
          <Select
            disabled={editing}
            options={ORGANIZATION_KINDS.map((k) => ({ value: k, label: t(`organizations.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('organizations.creditCode')}
          name="creditCode"
          extra={t('organizations.creditCodeHelp')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoComplete="off" className="dp-mono" />
        </Form.Item>
        {save.error ? <ProblemAlert error={save.error} /> : null}
      </Form>
    </Modal>
  );
}
