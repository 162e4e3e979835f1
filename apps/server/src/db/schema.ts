import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Portable across SQLite and PostgreSQL: ids are text,
 * times are epoch milliseconds (bigint), flags are 0/1 integers, sealed (encrypted) values
 * are binary. Columns ending in `_sealed` hold AES-256-GCM ciphertext under the
 * organisation's data key — never plaintext answers, notes or evidence.
 */
export interface DB {
  instance: { key: string; value: string };
  users: {
    id: string;
    email: string;
    display_name: string;
    password_hash: string;
    /** TOTP secret sealed under the instance key; null until enrolment starts. */
    totp_sealed: Uint8Array | null;
    totp_enabled_at: number | null;
    /** The last TOTP time step accepted, so a code cannot be replayed. */
    totp_last_step: number | null;
    is_instance_admin: number;
    disabled_at: number | null;
    created_at: number;
    /** SHA-256 of a pending recovery link's token, issued by an instance admin; null when none. */
    recovery_token_hash: string | null;
    recovery_expires_at: number | null;
    /** The language they chose in the app (`en`, `sq`, `sr-Latn`, `sr-Cyrl`); null until they choose. */
    language: string | null;
  };
  /** WebAuthn credentials (passkeys); the public key and id are base64url text. */
  passkeys: {
    id: string;
    user_id: string;
    credential_id: string;
    public_key: string;
    counter: number;
    /** JSON array of transports the authenticator named at registration. */
    transports: string;
    name: string;
    created_at: number;
    last_used_at: number | null;
  };
  recovery_codes: { id: string; user_id: string; code_hash: string; used_at: number | null };
  sessions: {
    /** SHA-256 of the opaque token; the token itself is only ever in the cookie. */
    id: string;
    user_id: string;
    created_at: number;
    last_seen_at: number;
    /** When the second factor was passed; null while the session waits for it. */
    mfa_at: number | null;
    /** When the password or second factor was last re-entered (step-up). */
    reauth_at: number;
    user_agent: string;
    /** A random, opaque name for the session that the API shows and takes back (never the hash above). */
    handle: string;
    /** The WebAuthn challenge under way in this session, and when it was issued. */
    webauthn_challenge: string | null;
    webauthn_challenge_at: number | null;
    /** The second factor that completed the session: totp, recovery_code or passkey. */
    mfa_method: string | null;
    /** A factor was proven but a passkey must still be added before the session is complete. */
    proof_at: number | null;
  };
  /** Devices seen at a completed sign-in: SHA-256 of the user agent and address family (no addresses). */
  known_devices: { user_id: string; fingerprint: string; first_seen_at: number };
  /** In-app notices to one user, shown until read; `params` is JSON for the message the web app translates. */
  notices: {
    id: string;
    user_id: string;
    kind: string;
    params: string;
    created_at: number;
    read_at: number | null;
  };
  login_failures: { id: Generated<number>; subject: string; at: number };
  invitations: {
    id: string;
    token_hash: string;
    email: string;
    role: string;
    programme_id: string | null;
    organisation_id: string | null;
    created_by: string;
    created_at: number;
    expires_at: number;
    accepted_at: number | null;
  };
  organisations: {
    id: string;
    name: string;
    kind: string;
    size_band: string;
    municipality: string;
    country: string;
    focus: string;
    languages: string;
    created_at: number;
  };
  organisation_keys: { organisation_id: string; wrapped_key: Uint8Array; created_at: number };
  memberships: {
    id: string;
    user_id: string;
    role: string;
    organisation_id: string | null;
    programme_id: string | null;
    created_at: number;
  };
  frameworks: {
    id: string;
    framework_key: string;
    version: string;
    title: string;
    source: string;
    source_format: string;
    imported_at: number;
  };
  programmes: { id: string; name: string; framework_id: string; created_by: string; created_at: number };
  rounds: {
    id: string;
    programme_id: string;
    name: string;
    position: number;
    starts_on: string | null;
    ends_on: string | null;
    /** When the round opened (migration 20261203T1500); null while it is scheduled. */
    opened_at: number | null;
    /** When it was closed; null while open, and again once reopened. */
    closed_at: number | null;
  };
  /** Who opened, closed and reopened a round, and why it was reopened (migration 20261203T1500). */
  round_events: {
    seq: Generated<number>;
    id: string;
    round_id: string;
    action: 'open' | 'close' | 'reopen';
    reason: string | null;
    actor_id: string | null;
    at: number;
  };
  /** Published versions of a round's results (migration 20261203T0900): all JSON text. */
  publications: {
    id: string;
    programme_id: string;
    round_id: string;
    version: number;
    organisations: number;
    figures: string;
    sets: string;
    members: string;
    published_by: string;
    published_at: number;
    /** The findings summary observers see (JSON), frozen at publication; null before findings were counted. */
    findings: string | null;
  };
  /** The team's review of drafted recommendations (migration 20261203T1000); `texts` is JSON by language. */
  recommendation_edits: {
    programme_id: string;
    recommendation_id: string;
    dropped: number;
    priority: string | null;
    texts: string;
    updated_by: string;
    updated_at: number;
  };
  /** An organisation's plan items (migration 20261203T1300); texts_sealed holds title, notes and drop reason. */
  plan_items: {
    id: string;
    programme_id: string;
    organisation_id: string;
    round_id: string;
    intervention_id: string | null;
    kind: string;
    status: string;
    owner_id: string | null;
    due_on: string | null;
    done_at: number | null;
    texts_sealed: Uint8Array;
    version: number;
    created_by: string;
    created_at: number;
    updated_by: string;
    updated_at: number;
  };
  /** Evidence files of plan items; the sealed bytes are in the evidence folder under the same id. */
  plan_evidence: {
    id: string;
    item_id: string;
    name_sealed: Uint8Array;
    media_type: string;
    size: number;
    uploaded_by: string;
    created_at: number;
  };
  /** Each plan item's history; `changes` is JSON of field names and clear values only. */
  plan_item_events: {
    seq: Generated<number>;
    item_id: string;
    at: number;
    actor_id: string | null;
    action: string;
    changes: string;
  };
  /** Technical findings (migration 20261203T2000); texts_sealed holds the texts, the CVSS vector and the retest notes. */
  findings: {
    id: string;
    programme_id: string;
    organisation_id: string;
    round_id: string;
    target: string;
    severity: string;
    status: string;
    found_on: string;
    questions: string;
    interventions: string;
    author_id: string;
    reviewer_id: string | null;
    approved_at: number | null;
    plan_item_id: string | null;
    retest_on: string | null;
    retest_by: string | null;
    texts_sealed: Uint8Array;
    version: number;
    created_at: number;
    updated_by: string;
    updated_at: number;
  };
  /** Evidence files of findings; the sealed bytes are in the evidence folder under the same id. */
  finding_evidence: {
    id: string;
    finding_id: string;
    name_sealed: Uint8Array;
    media_type: string;
    size: number;
    uploaded_by: string;
    created_at: number;
  };
  /** Each finding's history; `changes` is JSON of field names and clear values only. */
  finding_events: {
    seq: Generated<number>;
    finding_id: string;
    at: number;
    actor_id: string | null;
    action: string;
    changes: string;
    comment_sealed: Uint8Array | null;
  };
  /** The incident log (migration 20261204T1100); content_sealed holds everything the incident says. */
  incidents: {
    id: string;
    programme_id: string;
    organisation_id: string;
    content_sealed: Uint8Array;
    version: number;
    created_by: string | null;
    created_at: number;
    updated_by: string | null;
    updated_at: number;
  };
  /** Every version of each incident, sealed like the incident. */
  incident_versions: {
    incident_id: string;
    version: number;
    at: number;
    actor_id: string | null;
    content_sealed: Uint8Array;
  };
  /** The survey framework a programme runs beside its assessment (migration 20261205T0100). */
  programme_surveys: { programme_id: string; framework_id: string; set_by: string | null; set_at: number };
  /** An organisation's answers to the programme's survey in one round; content_sealed holds them all. */
  survey_responses: {
    id: string;
    programme_id: string;
    round_id: string;
    organisation_id: string;
    framework_id: string;
    content_sealed: Uint8Array;
    version: number;
    created_by: string | null;
    created_at: number;
    updated_by: string | null;
    updated_at: number;
  };
  /** Every version of each survey response, sealed like the response. */
  survey_response_versions: {
    response_id: string;
    version: number;
    at: number;
    actor_id: string | null;
    content_sealed: Uint8Array;
  };
  /** The observers' threat landscape (JSON, k-anonymous), frozen with a publication of the results. */
  threat_publications: {
    publication_id: string;
    programme_id: string;
    landscape: string;
    published_at: number;
    /** The sets behind the counts shown (JSON, fingerprints only); null for landscapes frozen before. */
    sets: string | null;
  };
  /** Whether an organisation lets its assigned assessors read and record its incidents (0/1). */
  incident_consents: {
    programme_id: string;
    organisation_id: string;
    assessor: number;
    updated_by: string;
    updated_at: number;
  };
  programme_organisations: { programme_id: string; organisation_id: string; pseudonym: string };
  programme_assessors: { programme_id: string; user_id: string; organisation_id: string };
  assessments: {
    id: string;
    programme_id: string;
    round_id: string;
    organisation_id: string;
    status: string;
    submitted_at: number | null;
    validated_at: number | null;
    created_at: number;
    /** The answer import writing into this assessment now (migration 20261203T1100), or null. */
    import_id: string | null;
    /** Bumped with every write to the assessment's answers (answer-store.ts; migration 20261203T1400). */
    answers_version: Generated<number>;
    /** When its round was closed (migration 20261203T1500): the assessment is read-only; null while open. */
    round_closed_at: number | null;
  };
  /** Each assessment's counting choices, sealed, as of an answers version (results cache, decision 0011). */
  assessment_choices: {
    assessment_id: string;
    answers_version: number;
    sealed: Uint8Array;
  };
  /** Answer imports as jobs (migration 20261203T1100, decision 0010). */
  answer_imports: {
    id: string;
    programme_id: string;
    round_id: string;
    layer: 'own' | 'validated';
    status: 'checking' | 'staging' | 'applying' | 'done' | 'failed';
    rows_total: number;
    rows_done: number;
    organisations: number;
    error: string | null;
    /** The file's problems (JSON: { where, message }[]) when it was refused. */
    problems: string | null;
    created_by: string;
    created_at: number;
    heartbeat_at: number;
    finished_at: number | null;
  };
  /** An import's sealed answers until they are applied. */
  answer_import_rows: {
    import_id: string;
    seq: number;
    assessment_id: string;
    question_id: string;
    sealed: Uint8Array | null;
  };
  /** Sealed evidence and report files on PostgreSQL (migration 20261203T1200). */
  stored_files: { bucket: string; id: string; body: Uint8Array; size: number };
  answers: {
    assessment_id: string;
    question_id: string;
    own_sealed: Uint8Array | null;
    own_by: string | null;
    own_at: number | null;
    validated_sealed: Uint8Array | null;
    validated_by: string | null;
    validated_at: number | null;
    version: number;
    /**
     * The answer that counted in the round before, carried over when this round opened
     * (migration 20261203T1600), to confirm or change; counted nowhere. Null when none.
     */
    carried_sealed: Uint8Array | null;
  };
  /** Per domain, what changed since the round before and why (migration 20261203T1700); sealed. */
  domain_accounts: {
    assessment_id: string;
    domain_id: string;
    author: 'assessor' | 'organisation';
    body_sealed: Uint8Array;
    updated_by: string;
    updated_at: number;
    version: number;
  };
  interview_notes: {
    id: string;
    assessment_id: string;
    domain_id: string;
    body_sealed: Uint8Array;
    author_id: string;
    created_at: number;
  };
  evidence: {
    id: string;
    assessment_id: string;
    question_id: string | null;
    domain_id: string | null;
    name_sealed: Uint8Array;
    media_type: string;
    size: number;
    uploaded_by: string;
    created_at: number;
  };
  /** Reports generated in the app; the sealed file is `<dataDir>/reports/<id>`, never in the database. */
  reports: {
    id: string;
    programme_id: string;
    /** The organisation of an organisation report; null for a programme report. */
    organisation_id: string | null;
    kind: 'programme' | 'organisation' | 'threats';
    format: 'pdf' | 'docx' | 'html';
    language: string;
    audience: 'programme' | 'observers';
    status: 'queued' | 'running' | 'done' | 'failed';
    /** 0..100 */
    progress: number;
    /** Why the job failed, in words for the person who asked for it. */
    error: string | null;
    /** Bytes of the report (not of its sealed file), once done. */
    size: number | null;
    created_by: string;
    created_at: number;
    started_at: number | null;
    finished_at: number | null;
  };
  audit_log: {
    seq: Generated<number>;
    at: number;
    actor_id: string | null;
    actor_role: string;
    organisation_id: string | null;
    action: string;
    object_type: string;
    object_id: string | null;
    request_id: string;
    prev_hash: string;
    hash: string;
  };
  /** A programme's sessions of a training module (issue 14); nothing personal, in clear. */
  training_sessions: {
    id: string;
    programme_id: string;
    module_id: string;
    module_version: string;
    /** '' for the module's title in the session's language. */
    title: string;
    starts_at: number;
    duration_minutes: number;
    place: string;
    online: number;
    online_link: string;
    trainers: string;
    capacity: number;
    language: string;
    check_state: 'none' | 'pre' | 'post' | 'closed';
    links_issued_at: number | null;
    links_expire_at: number | null;
    version: number;
    created_by: string;
    created_at: number;
    updated_at: number;
  };
  /** A session's participants: name and role sealed under their organisation's key. */
  training_participants: {
    id: string;
    session_id: string;
    organisation_id: string;
    position: number;
    attended: number;
    texts_sealed: Uint8Array;
    version: number;
    created_at: number;
    updated_at: number;
  };
  /** One-time check links: SHA-256 of the token, a keyed hash of the short code; never either itself. */
  training_links: {
    id: string;
    session_id: string;
    participant_id: string;
    kind: 'check' | 'follow-up';
    days: number | null;
    token_hash: string;
    code_hash: string;
    /** SHA-256 of the token a short code is exchanged for. */
    code_token_hash: string;
    issued_at: number;
    expires_at: number;
    revoked_at: number | null;
  };
  /** What a participant gave in one phase, sealed under their organisation's key. */
  training_results: {
    id: string;
    session_id: string;
    participant_id: string;
    organisation_id: string;
    phase: string;
    via: 'link' | 'paper' | 'import';
    body_sealed: Uint8Array;
    at: number;
  };
  /** Reports to the secure channel (migration 20261204T1000): everything written is sealed under the report's own key. */
  incident_reports: {
    id: string;
    receipt_mac: string;
    wrapped_key: Uint8Array;
    body_sealed: Uint8Array;
    tags_sealed: Uint8Array | null;
    status: 'open' | 'closed';
    received_at: number;
    updated_at: number;
    closed_at: number | null;
  };
  incident_report_messages: {
    id: string;
    report_id: string;
    author: 'reporter' | 'team';
    body_sealed: Uint8Array;
    at: number;
  };
  incident_report_files: {
    id: string;
    report_id: string;
    message_id: string | null;
    name_sealed: Uint8Array;
    media_type: string;
    size: number;
    stripped: number;
    created_at: number;
  };
  report_receivers: { user_id: string; granted_by: string; granted_at: number };
  /** The openness index (migration 20261205T0200): an institution's type and level beside its organisation row. */
  institutions: { organisation_id: string; programme_id: string; type: string; level: string };
  /** A researcher's answer to one indicator with its evidence, sealed under the institution's key. */
  openness_answers: {
    id: string;
    programme_id: string;
    round_id: string;
    organisation_id: string;
    question_id: string;
    source: string;
    content_sealed: Uint8Array;
    recorded_by: string | null;
    recorded_via: 'researcher' | 'link';
    recorded_at: number;
    validated_by: string | null;
    validated_at: number | null;
    version: number;
  };
  openness_archives: {
    id: string;
    answer_id: string;
    organisation_id: string;
    name_sealed: Uint8Array;
    media_type: string;
    size: number;
    uploaded_by: string | null;
    created_at: number;
  };
  openness_links: {
    id: string;
    token_hash: string;
    programme_id: string;
    round_id: string;
    organisation_id: string;
    created_by: string | null;
    created_at: number;
    expires_at: number;
    used_at: number | null;
  };
  /** Each published version of a wave, as the public reads it (JSON). */
  openness_publications: {
    id: string;
    programme_id: string;
    round_id: string;
    version: number;
    content: string;
    published_by: string | null;
    published_at: number;
  };
}
