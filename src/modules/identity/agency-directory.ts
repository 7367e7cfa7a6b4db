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
  const pick = (locale: Locale, ko: string, en: string) => (locale === 'ko' ? ko : en);
  // Views per locale are built once per refresh: every page shows the footer.
  let views: Record<Locale, { list: AgencyView[]; footer: FooterAgency[] }> = { ko: { list: [], footer: [] }, en: { list: [], footer: [] } };

  function build(rows: Rows, locale: Locale) {
    const byId = new Map(rows.agencies.map((a) => [a.id, a]));
    const list = rows.agencies.map((a) => {
      const parent = a.parent_id ? byId.get(a.parent_id) : undefined;
      return {
        id: a.id,
        code: a.code,
        name: pick(locale, a.name_ko, a.name_en),
        parentName: parent ? pick(locale, parent.name_ko, parent.name_en) : null,
        phone: a.phone,
        email: a.email,
        address: pick(locale, a.address_ko, a.address_en),
        departments: rows.departments.filter((d) => d.agency_id === a.id).map((d) => ({ id: d.id, code: d.code, name: pick(locale, d.name_ko, d.name_en), phone: d.phone })),
      };
    });
    const footer = rows.agencies.filter((a) => a.parent_id === null).map((a) => ({ name: pick(locale, a.name_ko, a.name_en), phone: a.phone, website: a.website }));
    return { list, footer };
  }

  return {
    async refresh() {
      const rows: Rows = { agencies: await listAgencies(db), departments: await listDepartments(db) };
      views = { ko: build(rows, 'ko'), en: build(rows, 'en') };
    },
    footer(locale: Locale): FooterAgency[] {
      return views[locale].footer;
    },
    list(locale: Locale): AgencyView[] {
      return views[locale].list;
    },
    /** A department with its agency, as the public sees them, or undefined. */
    department(locale: Locale, departmentId: number): { agency: AgencyView; department: AgencyView['departments'][number] } | undefined {
      for (const agency of views[locale].list) {
        const department = agency.departments.find((d) => d.id === departmentId);
        if (department) return { agency, department };
      }
      return undefined;
    },
  };
}
export type AgencyDirectory = ReturnType<typeof createAgencyDirectory>;
