import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { DEFAULT_THRESHOLDS } from '@fl-security/plugin-fl-security-node';

/** The plugin's own settings (`flSecurity:`), with defaults applied. */
export interface FlSecuritySettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  clusterTimeoutMs: number;
  /** API requests in flight per cluster. */
  concurrency: number;
  entityConcurrency: number;
  historyLimit: number;
  thresholds: { expiryWarnDays: number; expiryFailDays: number };
  policyReportEnabled: boolean;
}

export const DEFAULT_SETTINGS: FlSecuritySettings = {
  schedule: {
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
  },
  clusterTimeoutMs: 20_000,
  concurrency: 6,
  entityConcurrency: 2,
  historyLimit: 20,
  // The engine's defaults: one source for the portal and the CLI.
  thresholds: { ...DEFAULT_THRESHOLDS },
  policyReportEnabled: false,
};

function positiveInt(
  value: number | undefined,
  key: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`flSecurity.${key} must be a positive integer`);
  }
  return value;
}

export function readSettings(config: RootConfigService): FlSecuritySettings {
  const own = config.getOptionalConfig('flSecurity');
  if (!own) return DEFAULT_SETTINGS;

  const schedule = own.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        own.getConfig('schedule'),
      )
    : DEFAULT_SETTINGS.schedule;

  const reader = own.getOptionalConfig('reader');
  const clusterTimeoutMs = reader?.has('clusterTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(reader, { key: 'clusterTimeout' }),
      )
    : DEFAULT_SETTINGS.clusterTimeoutMs;
  if (!(clusterTimeoutMs > 0)) {
    throw new Error('flSecurity.reader.clusterTimeout must be positive');
  }

  const expiryWarnDays = positiveInt(
    own.getOptionalNumber('thresholds.expiryWarnDays'),
    'thresholds.expiryWarnDays',
    DEFAULT_SETTINGS.thresholds.expiryWarnDays,
  );
  const expiryFailDays = positiveInt(
    own.getOptionalNumber('thresholds.expiryFailDays'),
    'thresholds.expiryFailDays',
    DEFAULT_SETTINGS.thresholds.expiryFailDays,
  );
  if (expiryFailDays > expiryWarnDays) {
    throw new Error(
      'flSecurity.thresholds.expiryFailDays must not exceed expiryWarnDays',
    );
  }

  return {
    schedule,
    clusterTimeoutMs,
    concurrency: positiveInt(
      reader?.getOptionalNumber('concurrency'),
      'reader.concurrency',
      DEFAULT_SETTINGS.concurrency,
    ),
    entityConcurrency: positiveInt(
      reader?.getOptionalNumber('entityConcurrency'),
      'reader.entityConcurrency',
      DEFAULT_SETTINGS.entityConcurrency,
    ),
    historyLimit: positiveInt(
      own.getOptionalNumber('historyLimit'),
      'historyLimit',
      DEFAULT_SETTINGS.historyLimit,
    ),
    thresholds: { expiryWarnDays, expiryFailDays },
    policyReportEnabled:
      own.getOptionalBoolean('policyReport.enabled') ?? false,
  };
}
