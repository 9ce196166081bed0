import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ComplianceReport,
  overallStatus,
  OverallStatus,
  ReportHistoryEntry,
  SoonestExpiry,
  StatusSummary,
} from '@fl-security/plugin-fl-security-common';
import { Knex } from 'knex';

const TABLE = 'fl_security_reports';

const migrationsDir = resolvePackagePath(
  '@fl-security/plugin-fl-security-backend',
  'migrations',
);

interface ReportRow {
  id: number | string;
  entity_ref: string;
  federation: string;
  generated_at: string;
  overall: string;
  summary: string;
  error_count: number;
  soonest_expiry: string | null;
  report: string;
}

/** The latest report of an entity, without its results. */
export interface StoredSummary extends ReportHistoryEntry {
  entityRef: string;
  federation: string;
  soonestExpiry?: SoonestExpiry;
}

/** The certificate closest to expiry, for the fleet overview. */
export function soonestExpiry(
  report: ComplianceReport,
): SoonestExpiry | undefined {
  let soonest: ComplianceReport['certificates'][number] | undefined;
  for (const certificate of report.certificates) {
    if (!soonest || certificate.notAfter < soonest.notAfter) {
      soonest = certificate;
    }
  }
  if (!soonest) return undefined;
  const { cluster = '-', namespace = '-', name } = soonest.source;
  return {
    subject: soonest.subject,
    notAfter: soonest.notAfter,
    daysLeft: soonest.daysLeft,
    source: `${cluster}/${namespace}/${name}`,
  };
}

function toSummary(row: ReportRow): StoredSummary {
  return {
    entityRef: row.entity_ref,
    federation: row.federation,
    generatedAt: row.generated_at,
    overall: row.overall as OverallStatus,
    summary: JSON.parse(row.summary) as StatusSummary,
    errorCount: Number(row.error_count),
    ...(row.soonest_expiry
      ? { soonestExpiry: JSON.parse(row.soonest_expiry) as SoonestExpiry }
      : {}),
  };
}

/** Reports per entity in the plugin database, newest `historyLimit` kept. */
export class ReportStore {
  static async create(
    database: DatabaseService,
    historyLimit: number,
  ): Promise<ReportStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new ReportStore(client, historyLimit);
  }

  constructor(
    private readonly db: Knex,
    private readonly historyLimit: number,
  ) {}

  async add(entityRef: string, report: ComplianceReport): Promise<void> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const expiry = soonestExpiry(report);
    await this.db.transaction(async tx => {
      await tx<ReportRow>(TABLE).insert({
        entity_ref: ref,
        federation: report.federation,
        generated_at: report.generatedAt,
        overall: overallStatus(report.summary, report.errors.length),
        summary: JSON.stringify(report.summary),
        error_count: report.errors.length,
        soonest_expiry: expiry ? JSON.stringify(expiry) : null,
        report: JSON.stringify(report),
      });
      const ids = await tx<ReportRow>(TABLE)
        .where({ entity_ref: ref })
        .orderBy('id', 'desc')
        .pluck('id');
      const expired = ids.slice(this.historyLimit);
      if (expired.length > 0) {
        await tx<ReportRow>(TABLE).whereIn('id', expired).delete();
      }
    });
  }

  async latest(entityRef: string): Promise<ComplianceReport | undefined> {
    const row = await this.db<ReportRow>(TABLE)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy('id', 'desc')
      .first('report');
    return row ? (JSON.parse(row.report) as ComplianceReport) : undefined;
  }

  /** The latest report of an entity and the stored one before it. */
  async latestTwo(
    entityRef: string,
  ): Promise<{ latest?: ComplianceReport; previous?: ComplianceReport }> {
    const rows = await this.db<ReportRow>(TABLE)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy('id', 'desc')
      .limit(2)
      .select('report');
    const [latest, previous] = rows.map(
      row => JSON.parse(row.report) as ComplianceReport,
    );
    return { latest, previous };
  }

  /** When the latest report of an entity was made (ISO time), if any. */
  async latestGeneratedAt(entityRef: string): Promise<string | undefined> {
    const row = await this.db<ReportRow>(TABLE)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy('id', 'desc')
      .first('generated_at');
    return row?.generated_at;
  }

  /** Stored reports of an entity, newest first, without their results. */
  async history(entityRef: string): Promise<ReportHistoryEntry[]> {
    const rows = await this.db<ReportRow>(TABLE)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy('id', 'desc')
      .select('generated_at', 'overall', 'summary', 'error_count');
    return rows.map(row => ({
      generatedAt: row.generated_at,
      overall: row.overall as OverallStatus,
      summary: JSON.parse(row.summary) as StatusSummary,
      errorCount: Number(row.error_count),
    }));
  }

  /**
   * The newest `perEntity` history entries of each of the given entities,
   * newest first, keyed by lower-case entity ref (for one fleet page).
   */
  async recentHistories(
    entityRefs: readonly string[],
    perEntity: number,
  ): Promise<Map<string, ReportHistoryEntry[]>> {
    const refs = [
      ...new Set(entityRefs.map(ref => ref.toLocaleLowerCase('en-US'))),
    ];
    const histories = new Map<string, ReportHistoryEntry[]>();
    if (refs.length === 0) return histories;
    // At most historyLimit rows per entity are stored: one bounded query.
    const rows = await this.db<ReportRow>(TABLE)
      .whereIn('entity_ref', refs)
      .orderBy([
        { column: 'entity_ref', order: 'asc' },
        { column: 'id', order: 'desc' },
      ])
      .select(
        'entity_ref',
        'generated_at',
        'overall',
        'summary',
        'error_count',
      );
    for (const row of rows) {
      const history = histories.get(row.entity_ref) ?? [];
      if (history.length >= perEntity) continue;
      history.push({
        generatedAt: row.generated_at,
        overall: row.overall as OverallStatus,
        summary: JSON.parse(row.summary) as StatusSummary,
        errorCount: Number(row.error_count),
      });
      histories.set(row.entity_ref, history);
    }
    return histories;
  }

  /**
   * The latest summary of each of the given entities that has one, keyed by
   * lower-case entity ref: one page of the fleet, never the whole table.
   */
  async latestSummaries(
    entityRefs: readonly string[],
  ): Promise<Map<string, StoredSummary>> {
    const refs = [
      ...new Set(entityRefs.map(ref => ref.toLocaleLowerCase('en-US'))),
    ];
    if (refs.length === 0) return new Map();
    const latestIds = this.db<ReportRow>(TABLE)
      .whereIn('entity_ref', refs)
      .max('id')
      .groupBy('entity_ref');
    const rows = await this.db<ReportRow>(TABLE)
      .whereIn('id', latestIds)
      .select(
        'entity_ref',
        'federation',
        'generated_at',
        'overall',
        'summary',
        'error_count',
        'soonest_expiry',
      );
    return new Map(
      rows.map(row => [row.entity_ref, toSummary(row as ReportRow)]),
    );
  }
}
