import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { classifyFailure, failureMessage } from './errors';
import { responseError } from '../__testUtils__/fixtures';

describe('classifyFailure', () => {
  it('recognises permission denied from the HTTP status or the error name', async () => {
    expect(
      classifyFailure(await responseError(403, 'NotAllowedError', 'no')),
    ).toBe('permission-denied');
    expect(classifyFailure(new NotAllowedError('no'))).toBe(
      'permission-denied',
    );
  });

  it('recognises missing reports', async () => {
    expect(
      classifyFailure(await responseError(404, 'NotFoundError', 'none')),
    ).toBe('not-found');
    expect(classifyFailure(new NotFoundError('none'))).toBe('not-found');
  });

  it('treats everything else as an error', async () => {
    expect(classifyFailure(await responseError(500, 'Error', 'boom'))).toBe(
      'error',
    );
    expect(classifyFailure(new TypeError('Failed to fetch'))).toBe('error');
    expect(classifyFailure('weird')).toBe('error');
  });

  it('reports the server message rather than the HTTP preamble', async () => {
    expect(
      failureMessage(await responseError(500, 'Error', 'engine crashed')),
    ).toBe('engine crashed');
    expect(failureMessage(new Error('plain'))).toBe('plain');
  });
});
