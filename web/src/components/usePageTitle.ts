import { useEffect } from 'react';

/** The browser tab (and screen readers' page announcement) names the page. */
export function usePageTitle(title: string | undefined) {
  useEffect(() => {
    if (title) document.title = `${title} · KHCN Flow`;
  }, [title]);
}
