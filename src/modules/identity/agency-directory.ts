import type { Db } from '../../platform/db/database.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { FooterAgency } from '../../platform/views/context.ts';
import { listAgencies, listDepartments } from './repository.ts';
import type { AgencyView } from './views/agencies-page.tsx';

type Rows = { agencies: Awaited<ReturnType<typeof listAgencies>>; departments: Awaited<ReturnType<typeof listDepartments>> };

/**
 * Agencies change rarely and appear on every page (footer), so they are read once and
 * kept in memory; `refresh()` after a change, and every few minutes for other instances.
 */
export function createAgencyDirectory(db: Db) {
  let rows: Rows = { agencies: [], departments: [] };
  const pick = (locale: Locale, ko: string, en: string) => (locale === 'ko' ? ko : en);
  return {
    async refresh() {
      rows = { agencies: await listAgencies(db), departments: await listDepartments(db) };
    },
    footer(locale: Locale): FooterAgency[] {
      return rows.agencies.filter((a) => a.parent_id === null).map((a) => ({ name: pick(locale, a.name_ko, a.name_en), phone: a.phone, website: a.website }));
    },
    list(locale: Locale): AgencyView[] {
      const byId = new Map(rows.agencies.map((a) => [a.id, a]));
      return rows.agencies.map((a) => {
        const parent = a.parent_id ? byId.get(a.parent_id) : undefined;
        return {
          code: a.code,
          name: pick(locale, a.name_ko, a.name_en),
          parentName: parent ? pick(locale, parent.name_ko, parent.name_en) : null,
          phone: a.phone,
          email: a.email,
          address: pick(locale, a.address_ko, a.address_en),
          departments: rows.departments.filter((d) => d.agency_id === a.id).map((d) => ({ name: pick(locale, d.name_ko, d.name_en), phone: d.phone })),
        };
      });
    },
  };
}
export type AgencyDirectory = ReturnType<typeof createAgencyDirectory>;
