import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_SETTINGS, readSettings } from './settings';

describe('readSettings', () => {
  it('uses defaults without configuration', () => {
    expect(readSettings(mockServices.rootConfig())).toEqual(DEFAULT_SETTINGS);
  });

  it('reads every key', () => {
    const settings = readSettings(
      mockServices.rootConfig({
        data: {
          flSecurity: {
            schedule: { frequency: { minutes: 2 }, timeout: 'PT1M' },
            reader: {
              clusterTimeout: { seconds: 5 },
              concurrency: 3,
              entityConcurrency: 4,
            },
            historyLimit: 7,
            thresholds: { expiryWarnDays: 20, expiryFailDays: 5 },
            policyReport: { enabled: true },
          },
        },
      }),
    );
    expect(settings).toEqual({
      schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
      clusterTimeoutMs: 5_000,
      concurrency: 3,
      entityConcurrency: 4,
      historyLimit: 7,
      thresholds: { expiryWarnDays: 20, expiryFailDays: 5 },
      policyReportEnabled: true,
    });
  });

  it('rejects nonsense', () => {
    const read = (flSecurity: object) => () =>
      readSettings(mockServices.rootConfig({ data: { flSecurity } }));
    expect(read({ historyLimit: 0 })).toThrow(
      'flSecurity.historyLimit must be a positive integer',
    );
    expect(read({ reader: { concurrency: 1.5 } })).toThrow(
      'flSecurity.reader.concurrency',
    );
    expect(
      read({ thresholds: { expiryWarnDays: 5, expiryFailDays: 10 } }),
    ).toThrow('expiryFailDays must not exceed expiryWarnDays');
  });
});
