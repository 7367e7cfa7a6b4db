import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

export function renderPage(page: VNode<any>): string {
  return `<!doctype html>${renderToString(page)}`;
}

/**
 * Stands for the session's CSRF token in a page rendered once and served to many sessions:
 * render with it as `csrfToken`, keep `tokenSlots(html)`, and serve `fillTokenSlots(parts, token)`.
 */
export const CSRF_SLOT = 'nara-csrf-to-fill-in';

/** A page rendered with CSRF_SLOT, as the UTF-8 bytes between its slots (encoding it again on every request was a tenth of its cost). */
export function tokenSlots(html: string): Buffer[] {
  return html.split(CSRF_SLOT).map((part) => Buffer.from(part));
}

/** The kept page with `token` in each of its slots. */
export function fillTokenSlots(parts: Buffer[], token: string): Buffer {
  const bytes = Buffer.from(token);
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [bytes, part])));
}
