import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { DEFAULT_THRESHOLDS } from '@fl-security/plugin-fl-security-node';
import { isFullEntityRef } from '@fl-security/plugin-fl-security-common';
import { NamespaceMapping } from '../reader/federationReader';
import { ScanLimits } from '../reader/scanBudget';

/** Bounds of on-demand scans (refresh) and of every scan's reads. */
export interface ScanSettings {
  /** Scans running at once, scheduled and on-demand together. */
  maxConcurrent: number;
  /** On-demand scans waiting for a slot; more are refused (503). */
  maxQueued: number;
  /** Least time between two on-demand scans of one entity. */
  minIntervalMs: number;
  /** On-demand scans one user (or service) may start per window. */
  perUserLimit: number;
  perUserWindowMs: number;
  budget: ScanLimits;
}

/** wgpolicyk8s.io/v1alpha2 PolicyReport or openreports.io/v1alpha1 Report. */
export type ExportFormat = 'policyreport' | 'openreports';
const EXPORT_FORMATS: readonly ExportFormat[] = ['policyreport', 'openreports'];

function readExportFormat(value: string | undefined): ExportFormat {
  if (value === undefined) return 'policyreport';
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new Error(
      `flSecurity.export.format must be one of ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  return value as ExportFormat;
}

/** The plugin's own settings (`flSecurity:`), with defaults applied. */
export interface FlSecuritySettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  clusterTimeoutMs: number;
  /** API requests in flight per cluster. */
  concurrency: number;
  entityConcurrency: number;
  historyLimit: number;
  thresholds: { expiryWarnDays: number; expiryFailDays: number };
  /** Write each report into the cluster (flSecurity.export.enabled, or the older policyReport.enabled). */
  exportEnabled: boolean;
  /** What it is written as. */
  exportFormat: ExportFormat;
  scans: ScanSettings;
  /** Administrator-managed namespace bindings (flSecurity.namespaceBindings). */
  namespaceBindings: NamespaceMapping[];
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
  exportEnabled: false,
  exportFormat: 'policyreport',
  scans: {
    maxConcurrent: 2,
    maxQueued: 20,
    minIntervalMs: 60_000,
    perUserLimit: 10,
    perUserWindowMs: 10 * 60_000,
    // A generated federation of 1,000 participants reads 17,025 responses,
    // 8,012 objects and 23.7 MB (measured against the local API server).
    budget: {
      maxPages: 40_000,
      maxObjects: 40_000,
      maxBytes: 256 * 1024 * 1024,
    },
  },
  namespaceBindings: [],
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

function durationMs(
  config: ReturnType<RootConfigService['getOptionalConfig']>,
  key: string,
  fullKey: string,
  fallback: number,
): number {
  if (!config?.has(key)) return fallback;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) throw new Error(`flSecurity.${fullKey} must be positive`);
  return ms;
}

function readScans(
  own: NonNullable<ReturnType<RootConfigService['getOptionalConfig']>>,
): ScanSettings {
  const defaults = DEFAULT_SETTINGS.scans;
  const scans = own.getOptionalConfig('scans');
  const int = (key: string, fallback: number) =>
    positiveInt(scans?.getOptionalNumber(key), `scans.${key}`, fallback);
  const maxQueued = scans?.getOptionalNumber('maxQueued');
  if (
    maxQueued !== undefined &&
    !(Number.isInteger(maxQueued) && maxQueued >= 0)
  ) {
    throw new Error(
      'flSecurity.scans.maxQueued must be a non-negative integer',
    );
  }
  const perUser = scans?.getOptionalConfig('perUser');
  return {
    maxConcurrent: int('maxConcurrent', defaults.maxConcurrent),
    maxQueued: maxQueued ?? defaults.maxQueued,
    minIntervalMs: durationMs(
      scans,
      'minInterval',
      'scans.minInterval',
      defaults.minIntervalMs,
    ),
    perUserLimit: positiveInt(
      perUser?.getOptionalNumber('limit'),
      'scans.perUser.limit',
      defaults.perUserLimit,
    ),
    perUserWindowMs: durationMs(
      perUser,
      'window',
      'scans.perUser.window',
      defaults.perUserWindowMs,
    ),
    budget: {
      maxPages: int('budget.maxPages', defaults.budget.maxPages),
      maxObjects: int('budget.maxObjects', defaults.budget.maxObjects),
      maxBytes: int('budget.maxBytes', defaults.budget.maxBytes),
    },
  };
}

function readNamespaceBindings(
  own: NonNullable<ReturnType<RootConfigService['getOptionalConfig']>>,
): NamespaceMapping[] {
  return (own.getOptionalConfigArray('namespaceBindings') ?? []).map(
    (binding, i) => {
      const where = `flSecurity.namespaceBindings[${i}]`;
      const entityRef = binding.getString('entityRef');
      if (!isFullEntityRef(entityRef)) {
        throw new Error(
          `${where}.entityRef must be a full entity ref (kind:namespace/name)`,
        );
      }
      const namespaces = binding.getStringArray('namespaces');
      for (const namespace of namespaces) {
        if (!/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
          throw new Error(`${where}.namespaces: invalid namespace name`);
        }
      }
      const cluster = binding.getOptionalString('cluster');
      return {
        entityRef: entityRef.toLocaleLowerCase('en-US'),
        ...(cluster ? { cluster } : {}),
        namespaces,
      };
    },
  );
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
    exportEnabled:
      own.getOptionalBoolean('export.enabled') ??
      own.getOptionalBoolean('policyReport.enabled') ??
      false,
    exportFormat: readExportFormat(own.getOptionalString('export.format')),
    scans: readScans(own),
    namespaceBindings: readNamespaceBindings(own),
  };
}
