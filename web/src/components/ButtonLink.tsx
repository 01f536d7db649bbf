import type { ComponentProps } from 'react';
import { Button } from 'antd';
import { useNavigate } from 'react-router';

/** A link that looks like a button (one interactive element, not a button inside a link), navigating in the app. */
export function ButtonLink({ to, ...props }: { to: string } & Omit<ComponentProps<typeof Button>, 'href' | 'onClick'>) {
  const navigate = useNavigate();
  return (
    <Button
      {...props}
      href={to}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    />
  );
}
