/**
 * REST API of the FL security backend (`/api/fl-security`): paths and
 * response shapes shared by the backend and the frontend.
 */
import type {
  CheckStatus,
  ComplianceReport,
  OverallStatus,
  ResourceRef,
  StatusSummary,
} from './report';

/** Version segment of every route: `/api/fl-security/v1/...`. */
export const FL_SECURITY_API_VERSION = 'v1';

/**
 * Entity annotation opting an entity into scheduled scans when it is not a
 * Component of spec.type `federated-learning` (value `"true"`).
 */
export const FL_SECURITY_ENABLED_ANNOTATION = 'fl-security/enabled';

/**
 * Entity annotation listing further namespaces of the federation
 * (comma-separated), e.g. participant namespaces; read in addition to
 * `backstage.io/kubernetes-namespace`.
 */
export const FL_SECURITY_NAMESPACES_ANNOTATION = 'fl-security/namespaces';

/**
 * Entity annotation naming the clusters of a federation whose sites run in
 * their own clusters (comma-separated cluster names of the portal's config).
 * Entries of `fl-security/namespaces` may name their cluster too
 * (`cluster/namespace`). Absent: every configured cluster is read.
 */
export const FL_SECURITY_CLUSTERS_ANNOTATION = 'fl-security/clusters';

/** Relative path of one entity's report (append `/refresh` to force a scan). */
export function entityReportPath(entity: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  const segments = [entity.kind, entity.namespace, entity.name].map(s =>
    encodeURIComponent(s.toLocaleLowerCase('en-US')),
  );
  return `/${FL_SECURITY_API_VERSION}/reports/${segments.join('/')}`;
}

/** The certificate closest to expiry in a report. */
export interface SoonestExpiry {
  subject: string;
  notAfter: string;
  daysLeft: number;
  /** `cluster/namespace/name` of the Secret it was read from. */
  source: string;
}

/** One stored report, without its results (for trends). */
export interface ReportHistoryEntry {
  generatedAt: string;
  overall: OverallStatus;
  summary: StatusSummary;
  /** Clusters or objects that could not be read. */
  errorCount: number;
}

/** One result across scans: a rule on an object. */
export interface RuleResultRef {
  ruleId: string;
  resource: ResourceRef;
}

/** A result whose verdict differs between two reports. */
export interface VerdictChange extends RuleResultRef {
  /** The verdict before; absent when the result was not in that report. */
  from?: CheckStatus;
  /** The verdict now; absent when the result is no longer reported. */
  to?: CheckStatus;
}

/** The latest report against the stored one before it. */
export interface ReportChanges {
  /** generatedAt of the report compared with. */
  previousGeneratedAt: string;
  /** Failing or erroring now, not before (or not there before). */
  newFailures: RuleResultRef[];
  /** Failing or erroring before, passing now. */
  fixed: RuleResultRef[];
  /**
   * Every other verdict that changed (warn to pass, pass to warn, fail to
   * warn, a result that appeared or is no longer reported, ...). Absent
   * from older backends.
   */
  changed?: VerdictChange[];
}

/** `GET /v1/reports/:kind/:namespace/:name` and `POST .../refresh`. */
export interface EntityReportResponse {
  entityRef: string;
  overall: OverallStatus;
  /** The latest report. */
  report: ComplianceReport;
  /** Stored reports, newest first (the latest included). */
  history: ReportHistoryEntry[];
  /**
   * What changed since the previous stored report; absent when there is
   * none or the backend does not compare reports.
   */
  changes?: ReportChanges;
}

/**
 * `GET /v1/reports/:kind/:namespace/:name` of an entity that has never been
 * scanned, for a caller who may read its report but not start a scan
 * (`fl-security.report.refresh`): the scheduled scan will report it.
 */
export interface EntityNotScannedResponse {
  entityRef: string;
  overall: 'unknown';
  notScanned: true;
  /** Why there is no report and when there will be one. */
  message: string;
  history: ReportHistoryEntry[];
}

/** What the entity route answers: a report, or that there is none yet. */
export type EntityReportLookup =
  | EntityReportResponse
  | EntityNotScannedResponse;

/** Whether the entity route answered that the entity was never scanned. */
export function isNotScanned(
  response: EntityReportLookup,
): response is EntityNotScannedResponse {
  return (response as EntityNotScannedResponse).notScanned === true;
}

/** One FL entity in the fleet overview. */
export interface FleetEntry {
  entityRef: string;
  title?: string;
  federation?: string;
  overall: OverallStatus;
  /** Absent until the entity has been scanned. */
  summary?: StatusSummary;
  generatedAt?: string;
  errorCount?: number;
  soonestExpiry?: SoonestExpiry;
  /**
   * The newest stored reports (at most FLEET_TREND_LENGTH), newest first,
   * without their results: the entity's fail/warn/pass trend.
   */
  trend?: ReportHistoryEntry[];
}

/** Stored reports per fleet entry's trend. */
export const FLEET_TREND_LENGTH = 10;

/** Entries per fleet page unless `limit` says otherwise. */
export const FLEET_DEFAULT_PAGE_SIZE = 50;
/** The largest `limit` the fleet route accepts. */
export const FLEET_MAX_PAGE_SIZE = 200;

/**
 * `GET /v1/reports?limit=&cursor=`: one page of the FL entities the caller
 * may read (`fl-security.report.read`), ordered by entity name. A page may
 * hold fewer than `limit` entries (some entities of the catalog page are
 * not readable or not FL entities); only a missing `nextCursor` ends the
 * fleet.
 */
export interface FleetResponse {
  items: FleetEntry[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Relative path of one fleet page. */
export function fleetPath(
  page: { limit?: number; cursor?: string } = {},
): string {
  const query = new URLSearchParams();
  if (page.limit !== undefined) query.set('limit', String(page.limit));
  if (page.cursor !== undefined) query.set('cursor', page.cursor);
  const search = query.toString();
  return `/${FL_SECURITY_API_VERSION}/reports${search ? `?${search}` : ''}`;
}
