// The typed description of every table. Migrations change the database; this file
// follows them, so a renamed column breaks the build, not production.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written as Date and read back as Date by both drivers. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: PGlite and pg both parse it; we always write it as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export type Role = 'admin' | 'staff' | 'member';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  org_id: string | null;
  password_hash: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  last_login_at: NullableTimestamp;
}

export type TokenKind = 'invite' | 'reset';

export interface UserTokensTable {
  id: Generated<number>;
  user_id: number;
  kind: TokenKind;
  /** sha256 of the token: the token itself is only in the e-mail. */
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface SessionsTable {
  sid: string;
  sess: Json<Record<string, unknown>>;
  expires_at: Timestamp;
}

export type AttemptKind = 'login' | 'reset' | 'set_password' | 'change_password';

export interface AuthAttemptsTable {
  id: Generated<number>;
  kind: AttemptKind;
  email: string;
  ip: string;
  at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface MailMessagesTable {
  id: Generated<number>;
  created_at: Timestamp;
  to_address: string;
  subject: string;
  body_text: string;
  kind: string;
  transport: 'smtp' | 'outbox';
  /** The .eml file in the outbox, when no SMTP server is configured. */
  outbox_file: string | null;
  error: string | null;
  related_org_id: string | null;
  related_wave_id: number | null;
}

export interface AppSettingsTable {
  key: string;
  value: string;
}

export interface OrganisationsTable {
  org_id: string;
  name: string;
  first_year: number;
  last_year: number;
  /** Secret key for the cell-key protection of frame totals (0 ≤ key < 2^32), drawn once by the database. */
  record_key: ColumnType<string, never, never>;
}

/** A contact address of an organisation (migration 0011); invitations and reminders go here. */
/** Further organisations an account answers for (its first is users.org_id). */
export interface UserOrganisationsTable {
  user_id: number;
  org_id: string;
  created_at: Timestamp;
}

export interface OrganisationContactsTable {
  org_id: string;
  /** Lower case, trimmed. */
  email: string;
  name: Generated<string>;
  source: 'frame' | 'import';
  created_at: Timestamp;
}

export interface FrameImportsTable {
  id: Generated<number>;
  year: number;
  imported_at: Timestamp;
  imported_by: number | null;
  file_name: string;
  /** sha256 of the file as uploaded. */
  checksum: string;
  rows: number;
  members: number;
  replaced: boolean;
  source: 'cli' | 'web' | 'demo';
}

/** Money and FTE are numeric in the database and travel as exact decimal strings. */
type Decimal = ColumnType<string | null, string | null | undefined, string | null>;

export interface FrameUnitsTable {
  year: number;
  org_id: string;
  name: string;
  org_type: string;
  province: string;
  municipality: string | null;
  member: boolean;
  students: number | null;
  turnover_eur: Decimal;
  subsidy_eur: Decimal;
  fte: Decimal;
  teachers_employed: number | null;
  teachers_freelance: number | null;
  size_class: string | null;
}

export interface SurveyDefinitionsTable {
  id: Generated<number>;
  key: string;
  version: number;
  title_nl: string;
  title_en: string;
  definition: Json<unknown>;
  /** sha256 of the canonical JSON: the same key and version must never change. */
  checksum: string;
  loaded_at: Timestamp;
  loaded_by: number | null;
}

/** A questionnaire being edited in the browser; may be invalid until it is fixed as a version. */
export interface SurveyDraftsTable {
  id: Generated<number>;
  key: string;
  based_on_version: number | null;
  definition: Json<unknown>;
  /** Optimistic concurrency: every edit names the revision it started from. */
  revision: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type WaveStatus = 'draft' | 'open' | 'closed';

export interface WavesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  survey_id: number;
  frame_year: number;
  opens_at: NullableTimestamp;
  closes_at: NullableTimestamp;
  status: ColumnType<WaveStatus, WaveStatus | undefined, WaveStatus>;
  created_at: Timestamp;
  /** The weighting design: frame variables, comma-separated (e.g. "org_type,size_class"). */
  weighting: ColumnType<string, string | undefined, string>;
  /** The reference period the questions ask about, as calendar dates (YYYY-MM-DD). */
  period_start: ColumnType<string | null, string | null | undefined, string | null>;
  period_end: ColumnType<string | null, string | null | undefined, string | null>;
  /** Calibration variables, comma-separated (e.g. "province,size_class,students"); null: not calibrated. */
  calibration: ColumnType<string | null, string | null | undefined, string | null>;
  calibration_method: ColumnType<'linear' | 'raking', 'linear' | 'raking' | undefined, 'linear' | 'raking'>;
  /** The wave's own invitation and reminder texts (placeholders such as {organisatie}); null: the standard text. */
  invitation_text: ColumnType<string | null, string | null | undefined, string | null>;
  reminder_text: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ResponseStatus = 'draft' | 'submitted';

export interface ResponsesTable {
  id: Generated<number>;
  wave_id: number;
  org_id: string;
  status: ColumnType<ResponseStatus, ResponseStatus | undefined, ResponseStatus>;
  version: ColumnType<number, number | undefined, number>;
  source: ColumnType<'web' | 'import', 'web' | 'import' | undefined, 'web' | 'import'>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: number | null;
  submitted_at: NullableTimestamp;
  submitted_by: number | null;
  /** Secret record key for the cell-key method (0 ≤ key < 2^32), drawn once by the database. */
  record_key: ColumnType<string, never, never>;
  /** The page to continue on (page count + 1 = the review page); null when never set. */
  resume_page: ColumnType<number | null, number | null | undefined, number | null>;
  /** Staff asked the organisation to check its answers (0014): the message, shown on the form until it submits again. */
  review_message: ColumnType<string | null, string | null | undefined, string | null>;
  review_requested_at: NullableTimestamp;
  review_requested_by: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An answer a soft check questioned and the member kept, with the reason (0014). */
export interface AnswerConfirmationsTable {
  response_id: number;
  question_key: string;
  /** The confirmed value as canonical text; the confirmation holds only while the answer has this value. */
  value: string;
  reason: string;
  confirmed_by: number | null;
  confirmed_at: Timestamp;
}

/** What a member typed that is not an answer yet: a number awaiting confirmation or not readable (0020). */
export interface PendingInputsTable {
  response_id: number;
  question_key: string;
  /** Exactly as typed. */
  raw: string;
  updated_at: Timestamp;
}

export interface AnswersTable {
  response_id: number;
  question_key: string;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  value_num: Decimal;
  value_text: string | null;
  value_bool: boolean | null;
  value_choices: string[] | null;
  /** Secret key of this answer for the cell-key method (migration 0017), set by a trigger; never written by code. */
  answer_key: ColumnType<string, never, never>;
}

export interface FrameUploadsTable {
  id: Generated<number>;
  user_id: number;
  year: number;
  replace: boolean;
  file_name: string;
  checksum: string;
  created_at: Timestamp;
  /** The preview, computed once when the file had arrived; null while it is still arriving. */
  summary: ColumnType<unknown | null, string | null | undefined, string | null>;
}

/** The bytes of an upload in order of seq (0008). */
export interface FrameUploadChunksTable {
  upload_id: number;
  seq: number;
  bytes: Buffer;
}

export type MailQueueStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface MailQueueTable {
  id: Generated<number>;
  created_at: Timestamp;
  to_address: string;
  subject: string;
  body_text: string;
  kind: string;
  related_org_id: string | null;
  related_wave_id: number | null;
  status: ColumnType<MailQueueStatus, MailQueueStatus | undefined, MailQueueStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_at: NullableTimestamp;
  last_error: string | null;
  sent_at: NullableTimestamp;
  mail_message_id: number | null;
}

export interface ReportSettingsTable {
  id: Generated<number>;
  name: string;
  wave_slug: string;
  stratify: string;
  by_variable: string | null;
  questions: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface PublicationsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  report: Json<unknown>;
  definition: Json<unknown>;
  locale: string;
  published_by: number | null;
  published_at: Timestamp;
  withdrawn_at: NullableTimestamp;
  /** 1, 2, …: publishing the same address again makes a new version; the address shows the newest. */
  version: ColumnType<number, number | undefined, number>;
  wave_slug: string | null;
  /** Published while the wave was still open: the page says "voorlopige cijfers". */
  provisional: ColumnType<boolean, boolean | undefined, boolean>;
  replaced_at: NullableTimestamp;
}

export interface PublicationFilesTable {
  publication_id: number;
  /** download.pdf, download.xlsx, download.csv, download.csv-nl, grafiek/0.png, … */
  name: string;
  content_type: string;
  content: Buffer;
}

export interface ReleaseLogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  kind: 'publication' | 'export' | 'withdrawal';
  wave_slug: string;
  view: Json<{ stratify: string[]; by: string | null; questions: string[]; organisations?: string[] }>;
  format: string;
  publication_slug: string | null;
  publication_version: number | null;
  source: ColumnType<'web' | 'cli', 'web' | 'cli' | undefined, 'web' | 'cli'>;
}

export interface TextReviewsTable {
  response_id: number;
  question_key: string;
  status: 'approved' | 'rejected';
  /** The text as it was when approved: a later change by the member is not published unseen. */
  reviewed_text: string;
  decided_by: number | null;
  decided_at: Timestamp;
}

export interface ComparisonSnapshotsTable {
  id: Generated<number>;
  wave_id: number;
  created_at: Timestamp;
  submitted: number;
  data: Json<unknown>;
}

export interface ReportCacheTable {
  /** sha256 of the wave, the report options and the state of its responses and frame. */
  key: string;
  wave_id: number;
  model: Json<unknown>;
  created_at: Timestamp;
}

/** A staff correction of one submitted answer (0018); before/after as stored answers, null = none. */
export interface AnswerCorrectionsTable {
  id: Generated<number>;
  response_id: number;
  question_key: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  reason: string;
  corrected_by: number | null;
  corrected_at: Timestamp;
}

/** The numeric answers a publication version was built from (0018), for the revision audit. */
export interface PublicationAnswersTable {
  publication_id: number;
  org_id: string;
  question_key: string;
  /** A numeric answer, or null for a choice answer. */
  value_num: ColumnType<string | null, string | number | null, string | number | null>;
  /** The options chosen (a single choice and a yes/no answer as one option), or null for a number. */
  value_choices: string[] | null;
}

/** Every cell of a wave as a publication of it released them (the report's estimates as JSON). */
export interface PublicationCellsTable {
  publication_id: number;
  model: string;
}

/** A version of "De branche in cijfers" of one frame year on the public results page. */
/** What a version of the branch in figures was built from: a measure's value, or a type, province, size class or membership. */
export interface BranchPublicationValuesTable {
  publication_id: number;
  org_id: string;
  variable: string;
  value_num: ColumnType<string | null, string | number | null, string | number | null>;
  value_text: string | null;
}

export interface BranchPublicationsTable {
  id: Generated<number>;
  year: number;
  /** 1, 2, …: publishing a year again makes a new version; the public page shows the newest. */
  version: number;
  /** The protected figures (BranchFigures) as JSON. */
  figures: string;
  csv: Buffer;
  pdf: Buffer;
  published_by: number | null;
  published_at: Timestamp;
  withdrawn_at: NullableTimestamp;
}

export interface Database {
  users: UsersTable;
  user_tokens: UserTokensTable;
  sessions: SessionsTable;
  auth_attempts: AuthAttemptsTable;
  audit_log: AuditLogTable;
  mail_messages: MailMessagesTable;
  mail_queue: MailQueueTable;
  app_settings: AppSettingsTable;
  organisations: OrganisationsTable;
  organisation_contacts: OrganisationContactsTable;
  user_organisations: UserOrganisationsTable;
  frame_imports: FrameImportsTable;
  frame_units: FrameUnitsTable;
  frame_uploads: FrameUploadsTable;
  frame_upload_chunks: FrameUploadChunksTable;
  survey_definitions: SurveyDefinitionsTable;
  survey_drafts: SurveyDraftsTable;
  waves: WavesTable;
  responses: ResponsesTable;
  answers: AnswersTable;
  answer_confirmations: AnswerConfirmationsTable;
  pending_inputs: PendingInputsTable;
  report_settings: ReportSettingsTable;
  publications: PublicationsTable;
  text_reviews: TextReviewsTable;
  comparison_snapshots: ComparisonSnapshotsTable;
  publication_files: PublicationFilesTable;
  release_log: ReleaseLogTable;
  report_cache: ReportCacheTable;
  answer_corrections: AnswerCorrectionsTable;
  publication_answers: PublicationAnswersTable;
  publication_cells: PublicationCellsTable;
  branch_publications: BranchPublicationsTable;
  branch_publication_values: BranchPublicationValuesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type MailMessage = Selectable<MailMessagesTable>;
export type QueuedMailRow = Selectable<MailQueueTable>;
