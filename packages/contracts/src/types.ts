import type { z } from 'zod';
import type * as account from './account.js';
import type * as api from './api.js';
import type * as plans from './plans.js';
import type * as findings from './findings.js';
import type * as incidents from './incidents.js';
import type * as surveys from './surveys.js';
import type * as change from './change.js';
import type * as publications from './publications.js';
import type * as results from './results.js';
import type * as score from './score-report.js';
import type * as trainings from './trainings.js';
import type * as openness from './openness.js';

/**
 * The types of what crosses the API, inferred from the schemas (`z.infer`: what a response
 * holds, what a request sends once parsed). The web app imports these with `import type`, which
 * costs its pages nothing; nothing here is written twice.
 */

export type Role = z.infer<typeof api.roleSchema>;
export type Me = z.infer<typeof api.me>;
export type SessionState = z.infer<typeof api.sessionState>;
export type SetupStatus = z.infer<typeof api.setupStatus>;
export type Factor = NonNullable<SessionState['factors']>[number];
export type TotpEnrolment = z.infer<typeof api.totpEnrolment>;
export type RecoveryCodes = z.infer<typeof api.recoveryCodes>;
export type InvitationRequest = z.input<typeof api.invitationRequest>;
export type InvitationCreated = z.infer<typeof api.invitationCreated>;

export type FrameworkSummary = z.infer<typeof api.frameworkSummary>;
export type OrganisationKind = z.infer<typeof api.organisationKind>;
export type SizeBand = z.infer<typeof api.sizeBand>;
export type OrganisationProfile = z.input<typeof api.organisationProfile>;
export type Organisation = z.infer<typeof api.organisation>;
export type ProgrammeCreateRequest = z.input<typeof api.programmeCreateRequest>;
export type Round = z.infer<typeof api.round>;
export type RoundState = z.infer<typeof api.roundState>;
export type RoundEvent = z.infer<typeof api.roundEvent>;
export type Programme = z.infer<typeof api.programme>;
export type ProgrammeMember = z.infer<typeof api.programmeMember>;
export type AssessorAssignment = z.infer<typeof api.assessorAssignment>;
export type AssessmentStatus = z.infer<typeof api.assessmentStatus>;
export type ProgressRow = z.infer<typeof api.progressRow>;

export type AnswerInput = z.input<typeof api.answerInput>;
export type AnswerLayer = z.infer<typeof api.answerLayer>;
export type AnswerView = z.infer<typeof api.answerView>;
export type ConfirmationRequest = z.input<typeof api.confirmationRequest>;
export type ConfirmationResult = z.infer<typeof api.confirmationResult>;
export type Assessment = z.infer<typeof api.assessment>;
export type AssessmentListItem = z.infer<typeof api.assessmentListItem>;
export type AnswerSaved = z.infer<typeof api.answerSaved>;
export type EvidenceItem = z.infer<typeof api.evidenceItem>;
export type InterviewNote = z.infer<typeof api.interviewNote>;
export type InterviewNoteInput = z.input<typeof api.interviewNoteInput>;
export type InterviewNoteCreated = z.infer<typeof api.interviewNoteCreated>;
export type ImportAnswersRequest = z.input<typeof api.importAnswersRequest>;
export type ImportAnswersResult = z.infer<typeof api.importAnswersResult>;
export type ImportView = z.infer<typeof api.importView>;

export type ReportKind = z.infer<typeof api.reportKind>;
export type ReportFormat = z.infer<typeof api.reportFormat>;
export type ReportLanguage = z.infer<typeof api.reportLanguage>;
export type ReportAudience = z.infer<typeof api.reportAudience>;
export type ReportRequest = z.input<typeof api.reportRequest>;
export type ReportJob = z.infer<typeof api.reportJob>;
export type RecommendationItem = z.infer<typeof api.recommendationItem>;
export type RecommendationReview = z.infer<typeof api.recommendationReview>;
export type RecommendationEditRequest = z.input<typeof api.recommendationEditRequest>;
export type RecommendationAddRequest = z.input<typeof api.recommendationAddRequest>;

export type Stats = z.infer<typeof score.statsSchema>;
export type Change = z.infer<typeof score.changeSchema>;
export type QuestionExplanation = z.infer<typeof results.questionExplanation>;
export type DomainExplanation = z.infer<typeof results.domainExplanation>;
export type AssessmentExplanation = z.infer<typeof results.assessmentExplanation>;
export type CohortResults = z.infer<typeof results.cohortResults>;
export type CohortSummary = z.infer<typeof results.cohortSummary>;
export type CohortOrganisationsPage = z.infer<typeof results.cohortOrganisationsPage>;
export type CohortOrganisationResult = z.infer<typeof results.cohortOrganisationResult>;
export type OrganisationChange = z.infer<typeof change.organisationChange>;
export type OrganisationRoundChange = z.infer<typeof change.organisationRoundChange>;
export type CohortChange = z.infer<typeof change.cohortChange>;
export type DomainAccount = z.infer<typeof change.domainAccount>;
export type DomainAccountSaved = z.infer<typeof change.domainAccountSaved>;
export type PublicationSummary = z.infer<typeof publications.publicationSummary>;
export type PublicationPreview = z.infer<typeof publications.publicationPreview>;
export type PublicationList = z.infer<typeof publications.publicationList>;

export type InterventionInfo = z.infer<typeof plans.interventionInfo>;
export type RankedIntervention = z.infer<typeof plans.rankedIntervention>;
export type InterventionRanking = z.infer<typeof plans.interventionRanking>;
export type PlanStatus = z.infer<typeof plans.planStatus>;
export type PlanItem = z.infer<typeof plans.planItem>;
export type PlanEvent = z.infer<typeof plans.planEvent>;
export type PlanEvidence = z.infer<typeof plans.planEvidence>;
export type OrganisationPlan = z.infer<typeof plans.organisationPlan>;
export type PlanItemCreate = z.input<typeof plans.planItemCreate>;
export type PlanItemUpdate = z.input<typeof plans.planItemUpdate>;
export type PlanStatusChange = z.input<typeof plans.planStatusChange>;
export type ProgrammePlans = z.infer<typeof plans.programmePlans>;

export type SessionItem = z.infer<typeof account.sessionItem>;
export type Notice = z.infer<typeof account.notice>;
export type UserSummary = z.infer<typeof account.userSummary>;
export type PasskeyItem = z.infer<typeof account.passkeyItem>;
export type PasskeyRegistered = z.infer<typeof account.passkeyRegistered>;
export type InstanceSecurityState = z.infer<typeof account.instanceSecurityState>;
export type RecoveryLink = z.infer<typeof account.recoveryLink>;
export type PasswordChanged = z.infer<typeof account.passwordChanged>;

export type TrainingModuleInfo = z.infer<typeof trainings.trainingModuleInfo>;
export type TrainingModules = z.infer<typeof trainings.trainingModules>;
export type TrainingSession = z.infer<typeof trainings.trainingSession>;
export type TrainingSessions = z.infer<typeof trainings.trainingSessions>;
export type TrainingSessionDetail = z.infer<typeof trainings.trainingSessionDetail>;
export type TrainingSessionCreate = z.input<typeof trainings.trainingSessionCreate>;
export type TrainingSessionUpdate = z.input<typeof trainings.trainingSessionUpdate>;
export type TrainingParticipant = z.infer<typeof trainings.trainingParticipant>;
export type TrainingParticipantCreate = z.input<typeof trainings.trainingParticipantCreate>;
export type TrainingParticipantUpdate = z.input<typeof trainings.trainingParticipantUpdate>;
export type ParticipantPhase = z.infer<typeof trainings.participantPhase>;
export type CheckLinksIssued = z.infer<typeof trainings.checkLinksIssued>;
export type CheckLink = z.infer<typeof trainings.checkLink>;
export type PaperAnswers = z.input<typeof trainings.paperAnswers>;
export type ResponsesImportResult = z.infer<typeof trainings.responsesImportResult>;
export type KnowledgeSummary = z.infer<typeof trainings.knowledgeSummary>;
export type SessionImpact = z.infer<typeof trainings.sessionImpact>;
export type ModuleImpact = z.infer<typeof trainings.moduleImpact>;
export type OrganisationTrainingImpact = z.infer<typeof trainings.organisationTrainingImpact>;
export type TrainingImpact = z.infer<typeof trainings.trainingImpact>;
export type FollowUpSummary = z.infer<typeof trainings.followUpSummary>;
export type CheckView = z.infer<typeof trainings.checkView>;
export type CheckResult = z.infer<typeof trainings.checkResult>;
export type CheckSubmission = z.input<typeof trainings.checkSubmission>;

// Technical findings (docs/contracts.md, §14).
export type FindingSeverity = z.infer<typeof findings.findingSeverity>;
export type FindingTarget = z.infer<typeof findings.findingTarget>;
export type FindingStatus = z.infer<typeof findings.findingStatus>;
export type Finding = z.infer<typeof findings.finding>;
export type OrganisationFindings = z.infer<typeof findings.organisationFindings>;
export type FindingCreate = z.input<typeof findings.findingCreate>;
export type FindingUpdate = z.input<typeof findings.findingUpdate>;
export type FindingReview = z.input<typeof findings.findingReview>;
export type FindingRetestInput = z.input<typeof findings.findingRetestInput>;
export type FindingsSummary = z.infer<typeof findings.findingsSummary>;
export type FindingImport = z.input<typeof findings.findingImport>;
export type FindingImportResult = z.infer<typeof findings.findingImportResult>;

// The incident log and the threat landscape.
export type Incident = z.infer<typeof incidents.incident>;
export type IncidentContent = z.infer<typeof incidents.incidentContent>;
export type IncidentCreate = z.input<typeof incidents.incidentCreate>;
export type IncidentUpdate = z.input<typeof incidents.incidentUpdate>;
export type OrganisationIncidents = z.infer<typeof incidents.organisationIncidents>;
export type IncidentTaxonomyView = z.infer<typeof incidents.incidentTaxonomyView>;
export type ThreatLandscape = z.infer<typeof incidents.threatLandscapeView>;
// The survey beside the assessment.
export type SurveyResponse = z.infer<typeof surveys.surveyResponseView>;
export type SurveyQuestionView = z.infer<typeof surveys.surveyQuestionView>;
export type SurveyAnswersInput = z.input<typeof surveys.surveyAnswersInput>;
export type SurveyTallyView = z.infer<typeof surveys.surveyTallyView>;

// The openness index.
export type Institution = z.infer<typeof openness.institution>;
export type InstitutionInput = z.input<typeof openness.institutionInput>;
export type IndexCreate = z.input<typeof openness.indexCreate>;
export type IndicatorAnswerInput = z.input<typeof openness.indicatorAnswerInput>;
export type IndicatorRow = z.infer<typeof openness.indicatorRow>;
export type IndicatorSheet = z.infer<typeof openness.indicatorSheet>;
export type WaveStatus = z.infer<typeof openness.waveStatus>;
export type PublicIndex = z.infer<typeof openness.publicIndex>;
export type PublicWave = z.infer<typeof openness.publicWave>;
export type PublicInstitution = z.infer<typeof openness.publicInstitution>;
export type QuestionnaireLink = z.infer<typeof openness.questionnaireLink>;
export type QuestionnaireView = z.infer<typeof openness.questionnaireView>;
export type IndicatorSource = z.infer<typeof openness.indicatorSource>;
