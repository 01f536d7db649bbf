/**
 * The API's own types, from the zod schemas that validate its requests and document its
 * responses (api/schemas.ts, api/commands.ts): a change of the API that breaks a page breaks
 * the web app's type check. Type-only imports: no server code reaches the browser bundle.
 */
import type { z } from 'zod';
import type * as S from '../../../api/schemas';
import type { ApiCommandName as CommandName, COMMAND_BODIES } from '../../../api/commands';
import type { COUNCIL_BODIES } from '../../../api/routes/councils';
import type { PORTFOLIO_VIEWS } from '../../../api/routes/portfolio';
import type { PortfolioImportJob as ImportJobSchema, PortfolioImportPreview as ImportPreviewSchema, ReconciliationStatus as ReconciliationStatusSchema, ReconciliationRunView } from '../../../api/routes/portfolio-jobs';
import type { OperationsStatus as OperationsStatusSchema } from '../../../api/routes/operations';
import type { PublicStatus as PublicStatusSchema, PublicStatusBody as PublicStatusBodySchema } from '../../../api/routes/public-status';
import type { OpenData as OpenDataSchema } from '../../../api/routes/open-data';
import type { CouncilCommandName, TaskStage as Stage, TaskLevel, TaskForm, Role, CouncilKind, CouncilStatus, CouncilMemberRole, AcceptanceRating, ObligationStatus } from '../../../workflows/definitions';

export type { CommandName, CouncilCommandName, Stage, TaskLevel, TaskForm, Role, CouncilKind, CouncilStatus, CouncilMemberRole, AcceptanceRating, ObligationStatus };

export type TaskView = z.infer<typeof S.TaskView>;
export type TaskSummary = z.infer<typeof S.TaskSummary>;
export type TaskList = z.infer<typeof S.TaskList>;
export type TaskListQuery = z.input<typeof S.TaskListQuery>;
export type TaskCreated = z.infer<typeof S.TaskCreated>;
export type ProposalBody = z.input<typeof S.ProposalBody>;
export type Obligation = z.infer<typeof S.Obligation>;
export type TimelineEntry = z.infer<typeof S.TimelineEntry>;
export type DocumentLink = z.infer<typeof S.DocumentLink>;
export type CouncilView = z.infer<typeof S.CouncilResponse>;
export type CouncilList = z.infer<typeof S.CouncilList>;
export type VoteReceipt = z.infer<typeof S.VoteReceipt>;
export type UserView = z.infer<typeof S.UserView>;
export type ProblemDetails = z.infer<typeof S.ProblemDetails>;
export type PublicCall = z.infer<typeof S.PublicCall>;
export type PublicCallList = z.infer<typeof S.PublicCallList>;
export type CouncilDossier = z.infer<typeof S.CouncilDossier>;
export type SessionResult = z.infer<typeof S.SessionResult>;
export type TaskFile = z.infer<typeof S.TaskFileView>;
export type CouncilFile = z.infer<typeof S.CouncilFileView>;
export type UploadResult = z.infer<typeof S.UploadResult>;
export type UploadedFile = UploadResult['items'][number];
export type UserList = z.infer<typeof S.UserList>;
export type UserListQuery = z.input<typeof S.UserListQuery>;
export type NewUserBody = z.input<typeof S.NewUserBody>;
export type UserPatchBody = z.input<typeof S.UserPatchBody>;
export type AuditPage = z.infer<typeof S.AuditPage>;
export type AuditEntry = z.infer<typeof S.AuditEntryView>;
export type AuditQuery = z.input<typeof S.AuditQuery>;

/** The body of each lifecycle command, as the API validates it. */
export type CommandBody<K extends CommandName> = z.input<(typeof COMMAND_BODIES)[K]>;
export type CouncilCommandBody<K extends CouncilCommandName> = z.input<(typeof COUNCIL_BODIES)[K]>;
export type Ballot = CouncilCommandBody<'castVote'>['ballot'];

// ---- The Department's dashboards, imports, operations (issue 11) ----
export type PortfolioCounts = z.infer<typeof PORTFOLIO_VIEWS.counts>;
export type ObligationReport = z.infer<typeof PORTFOLIO_VIEWS.obligations>;
export type ObligationItem = ObligationReport['items'][number];
export type RefundReport = z.infer<typeof PORTFOLIO_VIEWS.refunds>;
export type StoppedReport = z.infer<typeof PORTFOLIO_VIEWS.stopped>;
export type TimelineReport = z.infer<typeof PORTFOLIO_VIEWS.timeline>;
export type EndingSoonReport = z.infer<typeof PORTFOLIO_VIEWS.endingSoon>;
export type AcceptanceDossierReport = z.infer<typeof PORTFOLIO_VIEWS.acceptanceDossiers>;
export type BudgetReport = z.infer<typeof PORTFOLIO_VIEWS.budget>;
export type PeopleQuery = z.input<typeof S.PeopleQuery>;
export type PeopleList = z.infer<typeof S.PeopleList>;
export type Person = z.infer<typeof S.PersonView>;
export type UserImportReport = z.infer<typeof S.UserImportReport>;
export type PortfolioImportPreview = z.infer<typeof ImportPreviewSchema>;
export type PortfolioImportJob = z.infer<typeof ImportJobSchema>;
export type ReconciliationStatus = z.infer<typeof ReconciliationStatusSchema>;
export type ReconciliationRun = z.infer<typeof ReconciliationRunView>;
export type OperationsStatus = z.infer<typeof OperationsStatusSchema>;
export type PublicStatus = z.infer<typeof PublicStatusSchema>;
export type PublicStatusBody = z.input<typeof PublicStatusBodySchema>;
export type OpenData = z.infer<typeof OpenDataSchema>;
