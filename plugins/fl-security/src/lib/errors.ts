import { ResponseError } from '@backstage/errors';

/** How a failed API call should be presented. */
export type FailureKind = 'permission-denied' | 'not-found' | 'error';

export function classifyFailure(error: unknown): FailureKind {
  const status = statusCodeOf(error);
  if (status === 403 || nameOf(error) === 'NotAllowedError') {
    return 'permission-denied';
  }
  if (status === 404 || nameOf(error) === 'NotFoundError') {
    return 'not-found';
  }
  return 'error';
}

/** The message the backend sent, without the HTTP preamble when available. */
export function failureMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function statusCodeOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.statusCode;
  const candidate = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

function nameOf(error: unknown): string | undefined {
  if (error instanceof ResponseError) return error.body?.error?.name;
  return error instanceof Error ? error.name : undefined;
}
