import type { Db } from '../../platform/db/database.ts';
import { startApplication } from './start-application.ts';
import { saveDraft } from './save-draft.ts';
import { submitApplication } from './submit-application.ts';
import { takeAction } from './take-action.ts';

const buildingPermit = {
  siteAddress: '서울특별시 종로구 청운동 12-3', use: 'detached-house', floorArea: '180', floors: '2', hasBasement: 'false',
  architectName: '김건축', architectLicence: '12345', contactPhone: '010-0000-0000', declaration: 'true',
};
const passport = { reason: 'expired', pages: '26', contactPhone: '010-0000-0000' };

/**
 * Demo applications with a processing history, filed and handled through the same use
 * cases as real ones, so their steps are on the timelines, in the work queues and in the
 * public log from the first start. Skips anyone the demo data lacks.
 * @returns how many applications were filed
 */
export async function seedDemoApplications(db: Db, timeZone: string): Promise<number> {
  const accounts = new Map((await db.selectFrom('accounts').select(['id', 'username']).where('username', 'in', ['resident1', 'resident2', 'jongno.clerk', 'jongno.planner', 'jongno.approver']).execute()).map((a) => [a.username, a.id]));
  const departments = new Map(
    (await db.selectFrom('departments').innerJoin('agencies', 'agencies.id', 'departments.agency_id').select(['departments.id', 'departments.code']).where('agencies.code', '=', 'SMG-JONGNO').execute()).map((d) => [d.code, d.id]),
  );
  const [r1, r2, clerk, planner, approver, bld, pln] = [accounts.get('resident1'), accounts.get('resident2'), accounts.get('jongno.clerk'), accounts.get('jongno.planner'), accounts.get('jongno.approver'), departments.get('BLD'), departments.get('PLN')];
  if (!r1 || !r2 || !clerk || !planner || !approver || !bld || !pln) return 0;

  const file = async (accountId: number, serviceCode: string, input: Record<string, unknown>) => {
    const { applicationId } = await startApplication(db, { accountId, serviceCode });
    await saveDraft(db, { applicationId, accountId, input });
    await submitApplication(db, { applicationId, accountId, timeZone });
    return applicationId;
  };
  const act = (applicationId: number, accountId: number, action: Parameters<typeof takeAction>[1]['action'], extra: { note?: string; toDepartmentId?: number } = {}) =>
    takeAction(db, { applicationId, accountId, action, timeZone, ...extra });

  // Under consultation with the Urban Management Division.
  const consulting = await file(r1, 'building-permit', buildingPermit);
  await act(consulting, clerk, 'accept');
  await act(consulting, clerk, 'forward', { toDepartmentId: pln, note: '도시계획 저촉 여부 협의' });

  // Decided: reviewed by both divisions, then approved by the head of the Building Permits Division.
  const approved = await file(r2, 'building-permit', { ...buildingPermit, siteAddress: '서울특별시 종로구 부암동 45-1', floorArea: '240' });
  await act(approved, clerk, 'accept');
  await act(approved, clerk, 'forward', { toDepartmentId: pln, note: '도시계획 저촉 여부 협의' });
  await act(approved, planner, 'accept');
  await act(approved, planner, 'forward', { toDepartmentId: bld, note: '저촉 사항 없음' });
  await act(approved, approver, 'accept');
  await act(approved, approver, 'approve');

  // Just filed.
  await file(r1, 'passport-reissue', passport);
  return 3;
}
