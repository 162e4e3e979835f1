/**
 * Errors the user can act on, with a stable code (for the web app and scripts), an HTTP
 * status and a message safe to show. Anything that is not an AppError becomes a generic 500
 * with the request id; its details go only to the server log.
 */
export const ERROR_CODES = {
  invalid_request: 400,
  malformed_json: 400,
  invalid_answers: 400,
  unauthenticated: 401,
  mfa_required: 401,
  reauthentication_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** The data existed but was crypto-shredded: its key is destroyed, it can never be read. */
  gone: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  precondition_failed: 412,
  too_many_requests: 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with a field of the request, or a line of an uploaded file. */
export interface ErrorDetail {
  /** Dotted path of the field (`rounds.0.name`) or `line 12` of an upload. */
  where: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}

/**
 * The one answer for "that object does not exist or is not yours": another tenant's id and a
 * missing id are indistinguishable.
 */
export const notFound = (what = 'that item') => new AppError('not_found', `We could not find ${what}.`);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalid = (message: string, details: ErrorDetail[] = []) =>
  new AppError('invalid_request', message, details);
