/**
 * Rendered pages for visitors without a session, kept a few seconds. Those pages carry no
 * personal data and no CSRF token, and most traffic to a portal's front pages is exactly
 * that; a short life means an edit shows within seconds without any invalidation.
 */
export function createPageCache(ttlMs = 5_000, maxEntries = 200) {
  const entries = new Map<string, { html: string; expires: number }>();
  return {
    get(key: string, render: () => string): string {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.expires > now) return hit.html;
      const html = render();
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, { html, expires: now + ttlMs });
      return html;
    },
  };
}
export type PageCache = ReturnType<typeof createPageCache>;
