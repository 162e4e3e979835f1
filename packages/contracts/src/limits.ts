/**
 * The bounds the HTTP API holds every input to, as plain numbers: the zod schemas in `api.ts`
 * are built from them, the server sizes its body limits by them, and the web app puts them on
 * its fields (`maxLength`, the size checked before an upload) so that a person hears about a
 * bound before sending, in the same terms the server would use.
 *
 * This module imports nothing, and has an export path of its own (`@kalaja/contracts/limits`),
 * so that a page can read a limit without loading zod. See docs/contracts.md.
 */
export const LIMITS = {
  /** A person's, an organisation's or a programme's name; a focus; most short texts. */
  name: 200,
  /** An email address (RFC 5321's path limit). */
  email: 254,
  /** The shortest password accepted (docs/threat-model.md, T1: 15+ characters, no composition rules). */
  passwordMin: 15,
  /** The longest password read: argon2 hashes any length, but nobody types more. */
  password: 256,
  /** A note beside an answer. */
  note: 10_000,
  /** An assessor's interview note on a domain. */
  interviewNote: 50_000,
  /** Round names, municipalities, answer and option ids. */
  short: 100,
  /** The name given to a passkey ("Work laptop"). */
  passkeyName: 60,
  /** One-time tokens: setup, invitations. */
  token: 200,
  /** A programme's rounds. */
  rounds: 20,
  /** An organisation's working languages. */
  languages: 10,
  /** A framework's source text, in characters. */
  framework: 2_000_000,
  /** An answers CSV, in characters (the server reads it as text). */
  answersCsv: 10 * 1024 * 1024,
  /** An answers spreadsheet (.xlsx, .ods), in bytes as saved; sent base64, a third larger. */
  answersSpreadsheet: 10 * 1024 * 1024,
  /**
   * An answers file sent as it is saved (CSV, .xlsx, .ods) to the import job route, in bytes:
   * room for a region — 5,000 organisations × 80 answers with notes is about 30 MB.
   */
  answersUpload: 96 * 1024 * 1024,
  /** One evidence file, in bytes (20 MiB). */
  evidenceFile: 20 * 1024 * 1024,
} as const;
