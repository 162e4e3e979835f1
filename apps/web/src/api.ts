/**
 * The one way the app talks to the server: same-origin fetch to /api/v1, JSON in and out (or a
 * multipart form, for a file), the session cookie only (no tokens in storage). Errors arrive as
 * ApiError with the server's stable code, its plain message, the field details and the request
 * id for support. What each call sends and answers is typed by the contracts
 * (`@kalaja/contracts`, docs/contracts.md).
 */
import i18n from './i18n';

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

const offline = () => new ApiError(0, 'offline', i18n.t('error.offline'), undefined);

/**
 * Sends a request; a connection that fails (no network, server gone) becomes the `offline`
 * ApiError. `Accept-Language` names the language the app shows, so the server's messages come
 * in it.
 */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    const headers = new Headers(init.headers);
    headers.set('accept-language', i18n.language || 'en');
    return await fetch(`/api/v1${path}`, { credentials: 'same-origin', ...init, headers });
  } catch {
    throw offline();
  }
}

/** The body of a response as JSON, or undefined when it is empty or not JSON. */
async function json(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON call. A `FormData` body goes as multipart (the browser sets its boundary), which is how
 * a file is uploaded; anything else as JSON. `headers` adds to them (an `If-Match` version).
 *
 * @example api<Programme>('GET', `/programmes/${encodeURIComponent(id)}`)
 */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const form = body instanceof FormData;
  const response = await send(path, {
    method,
    headers: body === undefined || form ? headers : { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: form ? body : JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const data = await json(response);
  if (!response.ok) throw errorOf(response, data, path);
  return data as T;
}

/**
 * Sends a file as it is saved — its bytes, with its type — and reads the JSON answer: how the
 * answers import takes files of a region's size without base64 or a JSON envelope.
 */
export async function apiUpload<T>(path: string, body: Blob, type: string): Promise<T> {
  const response = await send(path, { method: 'POST', headers: { 'content-type': type }, body });
  const data = await json(response);
  if (!response.ok) throw errorOf(response, data, path);
  return data as T;
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

/**
 * A path under /api/v1 with each interpolated id escaped.
 *
 * @example path`/programmes/${id}/rounds/${round}/answers`
 */
export function path(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((p, s, i) => p + s + (i < ids.length ? encodeURIComponent(ids[i]!) : ''), '');
}

/** Retry a read only when it may pass on a second try (no connection, a server hiccup): never a 404 or a 400. */
export const retryTransient = (count: number, error: ApiError) =>
  (error.status === 0 || error.status >= 500) && count < 3;

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
  const response = await send(path, {});
  if (!response.ok) throw errorOf(response, await json(response), path);
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
