// The portal's typed fetch wrapper. Paths, path parameters, query and JSON bodies are typed from
// the generated OpenAPI types (./schema.d.ts, from scripts/generate-api-types.mjs), responses too:
// every operation declares its success answer (`npm run api:check` fails otherwise), so an answer
// without a JSON body (204) is `undefined` and nothing here is typed by hand.
import type { paths } from './schema';
import { ApiError, NetworkError, type Problem } from './errors';
import { CSRF_HEADER, clearTokens, getAccessToken, refreshAccessToken } from './tokens';

export type Paths = paths;
export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

type OpOf<P extends keyof Paths, M extends Method> = M extends keyof Paths[P]
  ? NonNullable<Paths[P][M]>
  : never;
export type PathsFor<M extends Method> = {
  [P in keyof Paths]: [OpOf<P, M>] extends [never] ? never : P;
}[keyof Paths];

type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryParams<O> = O extends { parameters: { query?: infer Q } }
  ? [Q] extends [never | undefined]
    ? never
    : Q
  : never;
type JsonContent<X> = X extends { content: { 'application/json': infer B } } ? B : never;
type JsonBody<O> = O extends { requestBody?: infer RB } ? JsonContent<NonNullable<RB>> : never;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Success<O> = O extends { responses: infer Rs }
  ? { [C in keyof Rs]: C extends 200 | 201 | 202 ? JsonOf<Rs[C]> : never }[keyof Rs]
  : never;
export type ResponseOf<P extends keyof Paths, M extends Method> = [Success<OpOf<P, M>>] extends [never]
  ? undefined
  : Success<OpOf<P, M>>;

type Scalar = string | number | boolean | null | undefined;
type Options<O> = ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> }) &
  ([JsonBody<O>] extends [never] ? { body?: undefined } : { body: JsonBody<O> }) & {
    query?: [QueryParams<O>] extends [never]
      ? Record<string, Scalar>
      : QueryParams<O> & Record<string, Scalar>;
    signal?: AbortSignal;
  };
type Args<O> = object extends Options<O> ? [options?: Options<O>] : [options: Options<O>];

/** Fills `{name}` placeholders and appends the query string. */
export function buildUrl(
  template: string,
  path?: Record<string, unknown>,
  query?: Record<string, Scalar>,
): string {
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path?.[name];
    if (value === undefined || value === null)
      throw new Error(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${url}?${s}` : url;
}

async function toError(res: Response): Promise<ApiError> {
  let problem: Problem = { status: res.status };
  const type = res.headers.get('content-type') ?? '';
  try {
    if (type.includes('json')) problem = { status: res.status, ...((await res.json()) as object) };
    else {
      const text = (await res.text()).trim();
      if (text && text.length < 300 && !text.startsWith('<')) problem.detail = text;
    }
  } catch {
    /* keep the status alone */
  }
  return new ApiError(res.status, problem);
}

/** Session-ended callback set by the auth provider (navigates to the login page). */
let onSessionEnded: (() => void) | null = null;
export function setSessionEndedHandler(handler: (() => void) | null): void {
  onSessionEnded = handler;
}

/** fetch with the bearer token; on 401, refreshes once and retries. */
export async function authFetch(url: string, init: RequestInit = {}, retry = true): Promise<Response> {
  const token = await getAccessToken().catch(() => null);
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  // The portal's own script: the API then keeps the refresh token in its HttpOnly cookie only.
  headers.set(CSRF_HEADER, '1');
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError();
  }
  if (res.status === 401 && retry && token) {
    const fresh = await refreshAccessToken().catch(() => null);
    if (fresh) return authFetch(url, init, false);
    clearTokens();
    onSessionEnded?.();
  }
  return res;
}

async function request<T>(
  method: Method,
  template: string,
  options: { path?: object; query?: Record<string, Scalar>; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const url = buildUrl(template, options.path as Record<string, unknown>, options.query);
  const init: RequestInit = { method: method.toUpperCase(), signal: options.signal };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const res = await authFetch(url, init);
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get<P extends PathsFor<'get'>>(path: P, ...[options]: Args<OpOf<P, 'get'>>): Promise<ResponseOf<P, 'get'>> {
    return request('get', path, options);
  },
  post<P extends PathsFor<'post'>>(
    path: P,
    ...[options]: Args<OpOf<P, 'post'>>
  ): Promise<ResponseOf<P, 'post'>> {
    return request('post', path, options);
  },
  patch<P extends PathsFor<'patch'>>(
    path: P,
    ...[options]: Args<OpOf<P, 'patch'>>
  ): Promise<ResponseOf<P, 'patch'>> {
    return request('patch', path, options);
  },
  put<P extends PathsFor<'put'>>(path: P, ...[options]: Args<OpOf<P, 'put'>>): Promise<ResponseOf<P, 'put'>> {
    return request('put', path, options);
  },
  delete<P extends PathsFor<'delete'>>(
    path: P,
    ...[options]: Args<OpOf<P, 'delete'>>
  ): Promise<ResponseOf<P, 'delete'>> {
    return request('delete', path, options);
  },
};

/**
 * A multipart upload with progress (XMLHttpRequest: fetch has no upload progress).
 * Refreshes the token first if it is about to expire, and once more on a 401.
 */
export function upload<P extends PathsFor<'post'>>(
  path: P,
  pathParams: Record<string, string>,
  form: FormData,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<ResponseOf<P, 'post'>> {
  const url = buildUrl(path, pathParams);
  const send = (token: string | null, retry: boolean): Promise<ResponseOf<P, 'post'>> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
      xhr.setRequestHeader(CSRF_HEADER, '1');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new NetworkError());
      xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
      xhr.onload = async () => {
        if (xhr.status === 401 && retry) {
          const fresh = await refreshAccessToken().catch(() => null);
          if (fresh) return send(fresh, false).then(resolve, reject);
        }
        const type = xhr.getResponseHeader('content-type') ?? '';
        let body: unknown = xhr.responseText;
        try {
          if (type.includes('json')) body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON */
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(1);
          resolve(body as ResponseOf<P, 'post'>);
        } else {
          const problem: Problem =
            typeof body === 'object' && body
              ? { status: xhr.status, ...(body as object) }
              : {
                  status: xhr.status,
                  detail: xhr.status === 413 ? undefined : String(body || '').slice(0, 300) || undefined,
                };
          reject(new ApiError(xhr.status, problem));
        }
      };
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(form);
    });
  return getAccessToken()
    .catch(() => null)
    .then((token) => send(token, true));
}

/** Downloads a protected file (report PDF/XLSX/CSV) and saves it under its server-given name. */
export async function download(
  path: string,
  query: Record<string, Scalar>,
  fallbackName: string,
): Promise<void> {
  const res = await authFetch(buildUrl(path, undefined, query), { headers: { Accept: '*/*' } });
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = decodeURIComponent(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Public (unauthenticated) GET, for the certificate verification page. */
export async function publicGet<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new NetworkError();
  }
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}
