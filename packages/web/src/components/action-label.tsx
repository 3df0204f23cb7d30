interface ActionLabelProps {
  /** The short visible text, e.g. "Edit". */
  text: string;
  /** What it applies to, read by screen readers only, e.g. the row's name. */
  context: string;
}

/**
 * A row action's name: visible text first, then hidden context, so "Edit" buttons in a table are told apart
 * by screen readers while the spoken name still starts with what sighted users see (WCAG 2.5.3).
 */
export function ActionLabel({ text, context }: ActionLabelProps) {
  return (
    <>
      {text}
      <span className="dp-visually-hidden"> {context}</span>
    </>
  );
}
