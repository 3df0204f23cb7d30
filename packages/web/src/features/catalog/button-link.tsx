import { Button, type ButtonProps } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

interface ButtonLinkProps {
  to: string;
  type?: ButtonProps['type'];
  size?: ButtonProps['size'];
  children: ReactNode;
}

/**
 * A link that looks like a button: it is an <a> with a real address (open in a new tab works), and a
 * plain click navigates inside the app without reloading it.
 */
export function ButtonLink({ to, type, size, children }: ButtonLinkProps) {
  const navigate = useNavigate();
  return (
    <Button
      href={to}
      {...(type ? { type } : {})}
      {...(size ? { size } : {})}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </Button>
  );
}
