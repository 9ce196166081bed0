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
            export: { enabled: true, format: 'openreports' },
            scans: {
              maxConcurrent: 3,
              maxQueued: 0,
              minInterval: { seconds: 30 },
              perUser: { limit: 4, window: 'PT1H' },
              budget: { maxPages: 10, maxObjects: 20, maxBytes: 30 },
            },
            namespaceBindings: [
              {
                entityRef: 'Component:team-a/Fed',
                cluster: 'site',
                namespaces: ['fed-a', 'fed-b'],
              },
            ],
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
      exportEnabled: true,
      exportFormat: 'openreports',
      scans: {
        maxConcurrent: 3,
        maxQueued: 0,
        minIntervalMs: 30_000,
        perUserLimit: 4,
        perUserWindowMs: 3_600_000,
        budget: { maxPages: 10, maxObjects: 20, maxBytes: 30 },
      },
      namespaceBindings: [
        {
          entityRef: 'component:team-a/fed',
          cluster: 'site',
          namespaces: ['fed-a', 'fed-b'],
        },
      ],
    });
  });

  it('keeps the older policyReport.enabled switch, exporting PolicyReports', () => {
    const settings = readSettings(
      mockServices.rootConfig({
        data: { flSecurity: { policyReport: { enabled: true } } },
      }),
    );
    expect(settings).toMatchObject({
      exportEnabled: true,
      exportFormat: 'policyreport',
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
    expect(read({ export: { format: 'PolicyReport' } })).toThrow(
      'flSecurity.export.format must be one of policyreport, openreports',
    );
    expect(read({ scans: { maxConcurrent: 0 } })).toThrow(
      'flSecurity.scans.maxConcurrent must be a positive integer',
    );
    expect(read({ scans: { minInterval: { seconds: 0 } } })).toThrow(
      'flSecurity.scans.minInterval must be positive',
    );
    expect(
      read({ namespaceBindings: [{ entityRef: 'fed', namespaces: ['a'] }] }),
    ).toThrow('namespaceBindings[0].entityRef must be a full entity ref');
    expect(
      read({
        namespaceBindings: [
          { entityRef: 'component:default/fed', namespaces: ['../a'] },
        ],
      }),
    ).toThrow('namespaceBindings[0].namespaces: invalid namespace name');
  });
});
