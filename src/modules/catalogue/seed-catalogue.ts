import type { Executor } from '../../platform/db/database.ts';
import { demoServices } from './demo-services.ts';
import { insertService, insertServiceVersion } from './repository.ts';
import { problemsOfForm } from './service-form.ts';

/**
 * Publishes the demo services, version 1 each. Pass the seeding transaction and the ids of
 * the demo agencies' departments by `AGENCY/DEPARTMENT` code.
 * @throws Error when a demo form is not sound (a bug in the demo data)
 */
export async function seedCatalogue(tx: Executor, departments: Map<string, { agencyId: number; departmentId: number }>): Promise<number> {
  for (const s of demoServices) {
    const ref = departments.get(`${s.agency}/${s.department}`);
    if (!ref) throw new Error(`demo service ${s.code}: no department ${s.agency}/${s.department}`);
    const problems = problemsOfForm(s.form);
    if (problems.length) throw new Error(`demo service ${s.code}: ${problems.join('; ')}`);
    const id = await insertService(tx, s.code, ref.agencyId);
    await insertServiceVersion(tx, id, 1, { ...s, departmentId: ref.departmentId, createdBy: null }, true);
  }
  return demoServices.length;
}
