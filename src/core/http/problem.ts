/**
 * Errors as RFC 9457 `application/problem+json` with real status codes — never 200 with an
 * error inside (v2 did that, and auto-stop believed failed closes had succeeded).
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Throw from a route to answer with a problem document. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly type: string = 'about:blank',
  ) {
    super(detail);
  }

  toBody(instance?: string): ProblemBody {
    return {
      type: this.type,
      title: statusTitle(this.status),
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  new HttpProblem(400, detail, extensions);
export const notFound = (detail: string) => new HttpProblem(404, detail);
export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new HttpProblem(409, detail, extensions);
export const unauthorized = (detail: string) => new HttpProblem(401, detail);
export const serviceUnavailable = (detail: string) => new HttpProblem(503, detail);
