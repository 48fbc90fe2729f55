// API errors are application/problem+json (RFC 9457): `detail` says what went wrong, `errors[]`
// names the fields or file lines at fault. These helpers turn them into words a person can act on.

export interface ProblemField {
  field?: string;
  line?: number;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: ProblemField[];
  requestId?: string;
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.name = 'ApiError';
  }
  get fields(): ProblemField[] {
    return this.problem.errors ?? [];
  }
  /** The message for one form field, if the API named it. */
  fieldError(field: string): string | undefined {
    const hit = this.fields.find((f) => f.field === field || f.field?.startsWith(field + '.'));
    return hit ? hit.message : undefined;
  }
}

export class NetworkError extends Error {
  constructor() {
    super('Halve could not be reached. Check your connection and try again.');
    this.name = 'NetworkError';
  }
}

const ADVICE: Record<number, string> = {
  401: 'Your session has ended. Log in again to continue.',
  403: 'Your role in this organisation does not allow this. Ask an owner or admin of the organisation to do it or to change your role.',
  404: 'This was not found. It may have been deleted, or it belongs to another organisation.',
  409: 'This conflicts with the current state. Reload the page to see the latest and try again.',
  413: 'The file or request is too large for the server. Split the file into smaller periods and upload them one by one.',
  415: 'The server does not accept this kind of file.',
  429: 'Too many attempts in a short time. Wait a minute and try again.',
  500: 'Something went wrong on the server. Try again; if it keeps happening, contact support with the request id.',
  503: 'The service is temporarily unavailable. Try again in a minute.',
};

/** The one-paragraph explanation shown in an error box. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = err.problem.detail?.trim();
    const advice = ADVICE[err.status] ?? (err.status >= 500 ? ADVICE[500] : undefined);
    if (err.problem.code === 'email_unverified')
      return 'Confirm your e-mail address first: open the link in the verification e-mail we sent you (or ask for a new one).';
    if (err.status === 403 || err.status === 401 || err.status >= 500) {
      return [detail && err.status !== 403 ? detail : undefined, advice].filter(Boolean).join(' ');
    }
    return detail || advice || `The request failed (${err.status}).`;
  }
  if (err instanceof NetworkError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** A readable name for a DTO field such as `floorAreaM2`. */
export function fieldLabel(field: string): string {
  const spaced = field
    .replace(/\.(\d+)\./g, ' $1 ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._]/g, ' ');
  return (
    spaced.charAt(0).toUpperCase() +
    spaced
      .slice(1)
      .toLowerCase()
      .replace(/\bm2\b/, 'm²')
      .replace(/\bkw\b/, 'kW')
  );
}
