import { type ReactNode, useEffect, useRef, useState } from 'react';

interface TableRegionProps {
  label: string;
  children: ReactNode;
}

/**
 * Lets a wide table scroll sideways on small screens (WCAG 1.4.10) and, only while it overflows, makes
 * the scrolling area reachable by keyboard (WCAG 2.1.1) without adding a tab stop otherwise.
 */
export function TableRegion({ label, children }: TableRegionProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setOverflowing(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    const table = element.querySelector('table');
    if (table) observer.observe(table);
    return () => observer.disconnect();
  });

  return (
    <div
      ref={ref}
      className="dp-table-region"
      {...(overflowing ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}
    >
      {children}
    </div>
  );
}
