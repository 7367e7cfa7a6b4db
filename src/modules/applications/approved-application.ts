import type { Executor } from '../../platform/db/database.ts';
import { answerText, fieldsOf, findServiceVersion, isAsked, type FormData } from '../catalogue/index.ts';
import type { LocalText } from '../../platform/db/schema.ts';
import { findApplication } from './repository.ts';

/** The queue that hears of each approval; the module that owns the outcome handles it. */
export const APPROVED_QUEUE = 'applications.application.approved';

export interface ApprovedApplication {
  id: number;
  receiptNo: string;
  serviceCode: string;
  serviceName: LocalText;
  agencyId: number;
  departmentId: number;
  applicantAccountId: number;
  businessId: number | null;
  answers: FormData;
  /** each asked field's answer as the applicant's form shows it, in both languages */
  answerTexts: Record<string, LocalText>;
  decidedAt: Date;
}

/**
 * An approved application as a certificate needs it; undefined unless it is approved now
 * (a reopened one is not).
 */
export async function approvedApplication(db: Executor, applicationId: number): Promise<ApprovedApplication | undefined> {
  const app = await findApplication(db, applicationId);
  if (!app || app.status !== 'approved' || !app.decided_at || !app.receipt_no) return undefined;
  const service = await findServiceVersion(db, app.service_id, app.service_version);
  if (!service) return undefined;
  const answerTexts: Record<string, LocalText> = {};
  for (const field of fieldsOf(service.form)) {
    if (!isAsked(field, app.answers)) continue;
    const value = app.answers[field.name];
    answerTexts[field.name] = { ko: answerText(service.form, field, value, 'ko', '예', '아니요'), en: answerText(service.form, field, value, 'en', 'Yes', 'No') };
  }
  return {
    id: app.id, receiptNo: app.receipt_no, serviceCode: service.code, serviceName: service.name, agencyId: app.agency_id, departmentId: app.department_id,
    applicantAccountId: app.applicant_account_id, businessId: app.business_id, answers: app.answers, answerTexts, decidedAt: app.decided_at,
  };
}
