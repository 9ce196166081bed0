import { ResponseError } from '@backstage/errors';

/** How a failed API call should be presented. */
export type FailureKind = 'permission-denied' | 'not-found' | 'error';

export function classifyFailure(error: unknown): FailureKind {
  const status = ResponseError.is(error) ? error.statusCode : undefined;
  const name = ResponseError.is(error)
    ? error.cause.name
    : (error as Error | undefined)?.name;
  if (status === 403 || name === 'NotAllowedError') {
    return 'permission-denied';
  }
  if (status === 404 || name === 'NotFoundError') {
    return 'not-found';
  }
  return 'error';
}

/** The message the backend sent, without the HTTP preamble when available. */
export function failureMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
