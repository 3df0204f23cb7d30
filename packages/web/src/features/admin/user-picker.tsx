import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from './admin-api.ts';

interface UserPickerProps {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
}

/** Searches users by name as the operator types; used as a Form.Item control. */
export function UserPicker({ id, value, onChange }: UserPickerProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');

  // Wait for a pause in typing so each keystroke does not hit the API.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const users = useQuery({
    queryKey: ['users', 'picker', q],
    queryFn: ({ signal }) => adminApi.listUsers({ offset: 0, limit: 20, q }, signal),
  });

  return (
    <Select
      {...(id ? { id } : {})}
      {...(value ? { value } : {})}
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={users.isFetching}
      placeholder={t('members.userPlaceholder')}
      notFoundContent={users.isFetching ? t('common.loading') : t('common.empty')}
      options={(users.data?.items ?? []).map((u) => ({
        value: u.id,
        label: `${u.displayName} (${u.username})`,
      }))}
      onChange={(v: string) => onChange?.(v)}
    />
  );
}
