/**
 * The one way the app talks to the server: same-origin fetch to /api/v1, JSON in and out,
 * the session cookie only (no tokens in storage). Errors arrive as ApiError with the server's
 * stable code, its plain message, the field details and the request id for support.
 */
export interface ErrorDetail {
  where: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** The message for one field, if the server named it. */
  detail(where: string): string | undefined {
    return this.details.find((d) => d.where === where)?.message;
  }
}

/** Raised (as an event) when the server says the session is gone, so the app can ask to sign in again. */
export const SIGNED_OUT_EVENT = 'kalaja:signed-out';

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(
      0,
      'offline',
      'The server cannot be reached. Check your connection; we will try again.',
      undefined,
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) throw errorOf(response, json, path);
  return json as T;
}

/** The ApiError for a failed response; a session that has ended also tells the app (SIGNED_OUT_EVENT). */
function errorOf(response: Response, json: unknown, path: string): ApiError {
  const e = (
    json as { error?: { code?: string; message?: string; requestId?: string; details?: ErrorDetail[] } } | undefined
  )?.error;
  const error = new ApiError(
    response.status,
    e?.code ?? 'http_error',
    e?.message ?? `The server answered ${response.status}.`,
    e?.requestId ?? response.headers.get('x-request-id') ?? undefined,
    e?.details ?? [],
  );
  if (response.status === 401 && error.code === 'unauthenticated' && !path.startsWith('/session'))
    window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
  return error;
}

/** The name in a `Content-Disposition` header (`filename*=UTF-8''…` first, then `filename="…"`). */
export function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1];
}

/**
 * Downloads a file from the API as a link would, but through fetch, so the app sees the answer
 * first: an error arrives as an ApiError (a 401 `reauthentication_required` can be met with the
 * step-up dialog and the download tried again), and only the file's bytes reach the browser's
 * downloads — as a blob behind an object URL, clicked through a temporary `<a download>`.
 */
export async function apiDownload(path: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(
      0,
      'offline',
      'The server cannot be reached. Check your connection; we will try again.',
      undefined,
    );
  }
  if (!response.ok) {
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    throw errorOf(response, json, path);
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(response.headers.get('content-disposition')) ?? fallbackName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the blob after the click returns: let it go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
