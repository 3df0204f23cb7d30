import type { ReactNode } from 'react';
import { usePageTitle } from '../app/use-page-title.ts';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  extra?: ReactNode;
}

/** The page's single h1, which also names the browser tab. */
export function PageHeader({ title, description, extra }: PageHeaderProps) {
  usePageTitle(title);
  return (
    <div className="dp-page-header">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16 }}>
        <h1>{title}</h1>
        {extra}
      </div>
      {description ? <p>{description}</p> : null}
    </div>
  );
}
