/** Empty-table text in a colour that meets contrast (antd's default placeholder grey does not). */
export function EmptyText({ children }: { children: string }) {
  return <span className="dp-empty">{children}</span>;
}
