import { Input } from 'antd';
import { useId } from 'react';

interface SearchBoxProps {
  label: string;
  buttonLabel: string;
  onSearch: (text: string) => void;
}

export function SearchBox({ label, buttonLabel, onSearch }: SearchBoxProps) {
  const id = useId();
  return (
    <search style={{ display: 'block', maxWidth: 420 }}>
      <label htmlFor={id} className="dp-visually-hidden">
        {label}
      </label>
      <Input.Search id={id} placeholder={label} allowClear enterButton={buttonLabel} onSearch={onSearch} />
    </search>
  );
}
