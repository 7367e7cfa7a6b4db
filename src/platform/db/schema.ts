import type { ColumnType, Generated } from 'kysely';

/** A timestamp the database sets (`now()`); written only by SQL defaults. */
type DbTime = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = Record<string, unknown>> = ColumnType<T, T | string | undefined, T | string>;

export interface SchemaMigrationsTable {
  id: string;
  checksum: string;
  applied_at: DbTime;
}

export interface SessionsTable {
  id: string;
  account_id: number | null;
  data: Json;
  created_at: DbTime;
  last_seen_at: DbTime;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  user_agent: string | null;
  ip: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: DbTime;
  action: string;
  actor_account_id: number | null;
  actor_agency_id: number | null;
  on_behalf_of_account_id: number | null;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  ip: string | null;
  details: Json;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: Json;
  dedupe_key: string | null;
  run_at: DbTime;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Date | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: DbTime;
  completed_at: Date | null;
  failed_at: Date | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: Date;
  hits: number;
}

// Module tables (each module's migrations own them; the types live here so that one
// Kysely<DB> serves every module without cross-module imports).

export interface AgenciesTable {
  id: Generated<number>;
  code: string;
  parent_id: number | null;
  kind: string;
  name_ko: string;
  name_en: string;
  phone: string;
  email: string;
  address_ko: string;
  address_en: string;
  website: string | null;
  created_at: DbTime;
}

export interface DepartmentsTable {
  id: Generated<number>;
  agency_id: number;
  code: string;
  name_ko: string;
  name_en: string;
  phone: string;
  created_at: DbTime;
}

export interface AccountsTable {
  id: Generated<number>;
  kind: 'resident' | 'official';
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  locale: Generated<'ko' | 'en'>;
  password_hash: string | null;
  resident_id: number | null;
  agency_id: number | null;
  department_id: number | null;
  status: Generated<'active' | 'suspended'>;
  public_id: Generated<string>;
  created_at: DbTime;
}

export interface AccountRolesTable {
  account_id: number;
  role: string;
  agency_id: number;
  granted_at: DbTime;
}

export interface HouseholdsTable {
  id: Generated<number>;
  region_code: string;
  address_ko: string;
  address_en: string;
  postal_code: string;
  created_at: DbTime;
}

export interface ResidentsTable {
  id: Generated<number>;
  household_id: number;
  household_role: string;
  name_ko: string;
  name_en: string;
  birth_date: ColumnType<string, string, string>;
  sex: 'M' | 'F';
  national_id_cipher: string;
  national_id_hash: string;
  national_id_masked: string;
  phone: string | null;
  email: string | null;
  created_at: DbTime;
}

export interface BusinessesTable {
  id: Generated<number>;
  registration_no: string;
  name_ko: string;
  name_en: string;
  representative_resident_id: number;
  industry_code: string;
  address_ko: string;
  address_en: string;
  opened_on: ColumnType<string, string, string>;
  created_at: DbTime;
}

export interface NotificationsTable {
  id: Generated<number>;
  account_id: number;
  template: string;
  params: Json;
  link: string | null;
  created_at: DbTime;
  read_at: Date | null;
}

export interface MailMessagesTable {
  id: Generated<number>;
  account_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  transport: string;
  message_id: string;
  created_at: DbTime;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Date;
  next_attempt_at: ColumnType<Date, Date | string, Date | string>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  lock_notified_at: Date | null;
}

export interface SignUpRequestsTable {
  id: string;
  resident_id: number;
  email: string;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: Date | null;
  created_at: DbTime;
}

export interface TotpCredentialsTable {
  account_id: number;
  secret_cipher: string;
  confirmed_at: Date | null;
  last_time_step: number | null;
  created_at: DbTime;
}

export interface RecoveryCodesTable {
  account_id: number;
  code_hash: string;
  used_at: Date | null;
  created_at: DbTime;
}

export interface InvitationsTable {
  token_hash: string;
  account_id: number;
  invited_by: number;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: Date | null;
  created_at: DbTime;
}

export interface BusinessLinksTable {
  account_id: number;
  business_id: number;
  linked_at: DbTime;
}

export interface PasskeysTable {
  id: string;
  account_id: number;
  public_key: string;
  counter: Generated<number>;
  transports: Json<string[]>;
  name: string;
  backed_up: Generated<boolean>;
  created_at: DbTime;
  last_used_at: Date | null;
}

export interface OidcClientsTable {
  client_id: string;
  name: string;
  secret_cipher: string;
  redirect_uris: Json<string[]>;
  scope: string;
  grant_types: Json<string[]>;
  agency_id: number | null;
  created_at: DbTime;
  disabled_at: Date | null;
}

export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: Json;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  consumed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface OidcConsentsTable {
  account_id: number;
  client_id: string;
  grant_id: string;
  scope: string;
  granted_at: DbTime;
}

export interface OidcSigningKeysTable {
  kid: string;
  alg: string;
  private_jwk_cipher: string;
  created_at: DbTime;
}

export interface AssistedSessionsTable {
  id: string;
  official_account_id: number;
  official_session_id: string;
  agency_id: number;
  resident_account_id: number;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  confirmed_at: Date | null;
  confirmed_with: 'code' | 'passkey' | null;
  ended_at: Date | null;
  created_at: DbTime;
}

export interface LocalText {
  ko: string;
  en: string;
}

export interface ServicesTable {
  id: Generated<number>;
  code: string;
  agency_id: number;
  created_at: DbTime;
}

export interface ServiceVersionsTable {
  service_id: number;
  version: number;
  department_id: number;
  name_ko: string;
  name_en: string;
  summary_ko: string;
  summary_en: string;
  applicant_kinds: Array<'resident' | 'business'>;
  legal_basis_ko: string;
  legal_basis_en: string;
  documents: Json<LocalText[]>;
  fee_minor: ColumnType<number, number | undefined, number>;
  currency: Generated<string>;
  period_days: number;
  steps: Json<LocalText[]>;
  form: Json<unknown>;
  rules: Json<unknown> | null;
  created_by: number | null;
  created_at: DbTime;
  published_at: Date | null;
}

export interface HolidaysTable {
  day: ColumnType<string, string, string>;
  name_ko: string;
  name_en: string;
}

export interface ApplicationsTable {
  id: Generated<number>;
  receipt_no: string | null;
  service_id: number;
  service_version: number;
  agency_id: number;
  department_id: number;
  applicant_account_id: number;
  business_id: number | null;
  answers: Json<Record<string, string | number | boolean>>;
  status: Generated<string>;
  assignee_account_id: number | null;
  submitted_at: Date | null;
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: Date | null;
  escalated_at: Date | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ApplicationStepsTable {
  id: Generated<number>;
  application_id: number;
  seq: number;
  action: string;
  status_after: string;
  actor_kind: 'applicant' | 'official' | 'system';
  actor_account_id: number | null;
  actor_name: string | null;
  assisted_by_account_id: number | null;
  department_id: number | null;
  note: string | null;
  details: Json;
  recorded_at: DbTime;
}

export interface ApplicationFeedbackTable {
  application_id: number;
  satisfaction: number;
  improper_request: boolean;
  improper_detail: string | null;
  comment: string | null;
  created_at: DbTime;
}

export interface ApplicationAttachmentsTable {
  id: Generated<number>;
  application_id: number;
  document: string;
  filename: string;
  content_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  scan_status: Generated<'pending' | 'clean' | 'infected' | 'unscanned'>;
  scanned_at: Date | null;
  uploaded_by: number;
  created_at: DbTime;
  removed_at: Date | null;
}

export interface GovstackRefsTable {
  kind: 'service' | 'eform' | 'application' | 'task' | 'main-task' | 'applicant' | 'operator';
  external_id: string;
  internal_ref: string;
  created_at: DbTime;
}

export interface GovstackDocumentsTable {
  id: Generated<string>;
  client: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  content: Uint8Array;
  metadata: string | null;
  created_at: DbTime;
}

export interface TransparencyEntriesTable {
  id: Generated<number>;
  entry_type: string;
  subject: string;
  salt: Uint8Array;
  content_hash: Uint8Array;
  leaf_input: Uint8Array;
  leaf_hash: Uint8Array;
  leaf_index: number | null;
  logged_at: DbTime;
}

export interface TransparencyNodesTable {
  level: number;
  idx: number;
  hash: Uint8Array;
}

export interface TransparencyTreeTable {
  id: Generated<boolean>;
  size: number;
  root_hash: Uint8Array;
  updated_at: DbTime;
}

export interface TransparencyKeysTable {
  key_id: string;
  public_key: Uint8Array;
  private_key_cipher: string;
  created_at: DbTime;
}

export interface TransparencyHeadsTable {
  id: Generated<number>;
  tree_size: number;
  timestamp_ms: number;
  root_hash: Uint8Array;
  key_id: string;
  signature: Uint8Array;
  created_at: DbTime;
}

export interface IssuerKeysTable {
  kid: string;
  agency_id: number;
  public_jwk: Json<Record<string, string>>;
  private_key_cipher: string;
  created_at: DbTime;
  retired_at: Date | null;
}

export interface CertificateField {
  key: string;
  label: LocalText;
  /** the requester may leave it off (an abridged certificate) */
  omittable?: boolean;
}

export interface CertificateVariant {
  code: string;
  title: LocalText;
  omits: string[];
}

export interface CertificateTypesTable {
  code: string;
  agency_id: number;
  department_id: number;
  title: Json<LocalText>;
  summary: Json<LocalText>;
  source: 'resident-register' | 'business-register' | 'application';
  service_code: string | null;
  fields: Json<CertificateField[]>;
  variants: Json<CertificateVariant[]>;
  requesters: Json<Array<'resident' | 'business'>>;
  validity_days: number;
  fee_minor: number;
  shows_full_national_id: Generated<boolean>;
  created_at: DbTime;
}

export interface CertificatesTable {
  id: Generated<number>;
  issue_number: string;
  type_code: string;
  variant: string | null;
  agency_id: number;
  holder_account_id: number;
  business_id: number | null;
  application_id: number | null;
  lang: 'ko' | 'en';
  facts: Json<Record<string, string>>;
  credential_jwt: string;
  kid: string;
  status_list: number;
  status_index: number;
  fingerprint: string;
  pdf: Uint8Array | null;
  issued_at: DbTime;
  valid_until: ColumnType<Date, Date | string, Date | string>;
}

export interface CertificateStatusChangesTable {
  id: Generated<number>;
  certificate_id: number;
  action: 'revoke' | 'suspend' | 'reinstate';
  reason: string;
  actor_account_id: number;
  changed_at: DbTime;
}

export interface CertificateVerificationsTable {
  id: Generated<number>;
  certificate_id: number;
  verified_at: DbTime;
  channel: 'page' | 'api' | 'vc-api' | 'mobile-id';
  verifier_kind: 'anonymous' | 'resident' | 'official' | 'machine';
  outcome: 'valid' | 'revoked' | 'suspended' | 'expired' | 'invalid';
}

export interface CertificateSharesTable {
  certificate_id: number;
  account_id: number;
  granted_at: DbTime;
  withdrawn_at: Date | null;
}

export interface DB {
  certificate_shares: CertificateSharesTable;
  issuer_keys: IssuerKeysTable;
  certificate_types: CertificateTypesTable;
  certificates: CertificatesTable;
  certificate_status_changes: CertificateStatusChangesTable;
  certificate_verifications: CertificateVerificationsTable;
  holidays: HolidaysTable;
  transparency_entries: TransparencyEntriesTable;
  transparency_nodes: TransparencyNodesTable;
  transparency_tree: TransparencyTreeTable;
  transparency_keys: TransparencyKeysTable;
  transparency_heads: TransparencyHeadsTable;
  applications: ApplicationsTable;
  application_steps: ApplicationStepsTable;
  application_feedback: ApplicationFeedbackTable;
  application_attachments: ApplicationAttachmentsTable;
  govstack_refs: GovstackRefsTable;
  govstack_documents: GovstackDocumentsTable;
  services: ServicesTable;
  service_versions: ServiceVersionsTable;
  schema_migrations: SchemaMigrationsTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  rate_limits: RateLimitsTable;
  agencies: AgenciesTable;
  departments: DepartmentsTable;
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  households: HouseholdsTable;
  residents: ResidentsTable;
  businesses: BusinessesTable;
  notifications: NotificationsTable;
  mail_messages: MailMessagesTable;
  sign_in_throttle: SignInThrottleTable;
  sign_up_requests: SignUpRequestsTable;
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  invitations: InvitationsTable;
  business_links: BusinessLinksTable;
  passkeys: PasskeysTable;
  oidc_clients: OidcClientsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_consents: OidcConsentsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  assisted_sessions: AssistedSessionsTable;
}
