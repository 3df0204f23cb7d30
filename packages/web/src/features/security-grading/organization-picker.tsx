import { Select } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.ts';
import { organizationName } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { maySeeSecurity } from './grading-levels.ts';

/** The organisations this user may look at here: all for platform roles, else their own. */
export function useSecurityOrganizations() {
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  const platform =
    user?.platformRoles.some((r) => ['operator', 'auditor', 'security_officer'].includes(r)) ?? false;
  const own = new Set(user?.memberships.map((m) => m.organizationId) ?? []);
  const list = (institutions.data ?? []).filter((o) => platform || own.has(o.id));
  return { list, loading: institutions.isLoading, allowed: maySeeSecurity(user) || own.size > 0 };
}

export function OrganizationPicker({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { list, loading } = useSecurityOrganizations();
  return (
    <div style={{ marginBottom: 16 }}>
      <label htmlFor={id} className="dp-field-label">
        {t('securityGrading.fields.organization')}
      </label>
      <Select<string>
        id={id}
        showSearch
        optionFilterProp="text"
        loading={loading}
        style={{ minWidth: 320 }}
        value={value ?? null}
        placeholder={t('securityGrading.fields.chooseOrganization')}
        onChange={onChange}
        options={list.map((o) => {
          const name = organizationName(o, i18n.language);
          return { value: o.id, text: name.text, label: <span lang={name.lang}>{name.text}</span> };
        })}
      />
    </div>
  );
}
