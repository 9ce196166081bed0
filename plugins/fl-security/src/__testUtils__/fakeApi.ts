import type { FlSecurityApi } from '../api/FlSecurityApi';
import { response } from './fixtures';

/** An in-memory FlSecurityApi whose methods are jest mocks. */
export function fakeApi(
  overrides: Partial<FlSecurityApi> = {},
): jest.Mocked<FlSecurityApi> {
  return {
    getEntityReport: jest.fn().mockResolvedValue(response()),
    refreshEntityReport: jest.fn().mockResolvedValue(response()),
    getFleet: jest.fn().mockResolvedValue({ items: [] }),
    ...overrides,
  } as jest.Mocked<FlSecurityApi>;
}
