import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

export function renderPage(page: VNode<any>): string {
  return `<!doctype html>${renderToString(page)}`;
}
