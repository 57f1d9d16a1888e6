import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The console lives under /console; the API answers index.html for every path below it. */
export const BASE = '/console';

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    addEventListener('console:navigate', update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener('console:navigate', update);
    };
  }, []);
  return path.startsWith(BASE) ? path.slice(BASE.length) || '/' : '/';
}

export function navigate(to: string): void {
  history.pushState(null, '', BASE + to);
  dispatchEvent(new Event('console:navigate'));
  // Focus moves to the new page's heading so keyboard and screen-reader users land on it.
  queueMicrotask(() => document.querySelector<HTMLElement>('main h1')?.focus());
}

export function Link(props: { to: string; children: ComponentChildren; class?: string; current?: boolean }) {
  return (
    <a
      href={BASE + props.to}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
