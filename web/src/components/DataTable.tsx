/**
 * Ant Design's Table, reachable by keyboard when it scrolls: a table wider than its place
 * (a phone, a narrow column) scrolls sideways, and a scrolling region must take the focus
 * so that keyboard users can scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
import { useEffect, useRef } from 'react';
import { Table, type TableProps } from 'antd';

export function DataTable<T extends object>({ label, ...props }: TableProps<T> & { label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    const mark = () => {
      for (const el of root.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body')) {
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
          el.tabIndex = 0;
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', label);
        } else {
          el.removeAttribute('tabindex');
          el.removeAttribute('role');
          el.removeAttribute('aria-label');
        }
      }
    };
    mark();
    const resize = new ResizeObserver(mark);
    resize.observe(root);
    const mutations = new MutationObserver(mark);
    mutations.observe(root, { childList: true, subtree: true });
    return () => {
      resize.disconnect();
      mutations.disconnect();
    };
  }, [label]);
  return (
    <div ref={box}>
      <Table<T> {...props} />
    </div>
  );
}
