import { lazy, type ComponentType } from 'react';

/**
 * A console page loaded with its route, not with the console: `lazyPage(() => import('./X'), 'XPage')`.
 * The layout's Suspense shows a spinner while the page's chunk arrives (web/src/pages/AppLayout.tsx).
 */
export function lazyPage<M extends Record<K, ComponentType>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
) {
  return lazy(async () => ({ default: (await load())[name] }));
}
