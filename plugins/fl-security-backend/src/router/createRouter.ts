import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  compareReports,
  ComplianceReport,
  EntityNotScannedResponse,
  EntityReportResponse,
  FLEET_DEFAULT_PAGE_SIZE,
  FLEET_MAX_PAGE_SIZE,
  FLEET_TREND_LENGTH,
  FleetEntry,
  FleetResponse,
  flSecurityReportReadPermission,
  flSecurityReportRefreshPermission,
  overallStatus,
} from '@fl-security/plugin-fl-security-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import {
  EntityAccess,
  requesterOf,
  validEntityRef,
} from '../access/entityAccess';
import { FL_ENTITY_QUERY, isFlEntity } from '../entity/flEntity';
import { ReportService, ScanRequestOutcome } from '../service/ReportService';
import { ReportStore } from '../store/ReportStore';
import { conditionalDecisionToPredicate } from './catalogConditions';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  service: ReportService;
  store: ReportStore;
}

/** Catalog cursors are base64 JSON of the query; far shorter than this. */
const MAX_CURSOR = 16_384;
/** What the fleet needs of an entity (isFlEntity, title, ref). */
const FLEET_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
];

/**
 * Routes under /api/fl-security. Every route needs user or service
 * credentials. Entity routes authorize fl-security.report.read (and, to
 * scan, fl-security.report.refresh) with the entity ref as resourceRef, so
 * policies can decide per entity (catalog conditions such as ownership);
 * the fleet route lists only entities the caller may read. Entities are
 * fetched with the caller's credentials, so catalog visibility applies too.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, catalog, service, store } = options;
  const access = new EntityAccess({ permissions, auditor, catalog });
  const router = Router();
  router.use(express.json());

  async function credentialsOf(req: Request): Promise<BackstageCredentials> {
    return httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** The entity ref of the path, validated (never passed on unchecked). */
  function entityRefOf(req: Request): string {
    const { kind, namespace, name } = req.params;
    return validEntityRef({ kind, namespace, name });
  }

  /**
   * The report, the entity's history and what changed since the stored
   * report before it. `report` is the latest stored one, or the result of
   * the scan this request ran or joined.
   */
  async function respond(
    res: Response,
    entity: Entity,
    report: ComplianceReport,
  ): Promise<void> {
    const entityRef = stringifyEntityRef(entity);
    const [history, stored] = await Promise.all([
      store.history(entityRef),
      store.latestTwo(entityRef),
    ]);
    // Another scan may have stored a report since: compare with the one
    // stored before `report` only when `report` is still the latest.
    const previous =
      stored.latest?.generatedAt === report.generatedAt
        ? stored.previous
        : undefined;
    const body: EntityReportResponse = {
      entityRef,
      overall: overallStatus(report.summary, report.errors.length),
      report,
      history,
      ...(previous ? { changes: compareReports(previous, report) } : {}),
    };
    res.json(body);
  }

  /** A refusal in Backstage's error shape, with Retry-After. */
  function refuse(
    req: Request,
    res: Response,
    status: 429 | 503,
    outcome: Extract<ScanRequestOutcome, { retryAfterSeconds: number }>,
  ) {
    res
      .status(status)
      .set('Retry-After', String(outcome.retryAfterSeconds))
      .json({
        error: {
          name:
            status === 429 ? 'TooManyRequestsError' : 'ServiceUnavailableError',
          message: outcome.message,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: status },
      });
  }

  /** Starts (or joins) a scan for the caller and answers with its report. */
  async function scanNow(
    req: Request,
    res: Response,
    credentials: BackstageCredentials,
    entity: Entity,
    trigger: 'refresh' | 'first-view',
  ): Promise<void> {
    const entityRef = stringifyEntityRef(entity);
    const event = await auditor.createEvent({
      eventId: 'report-scan',
      severityLevel: 'low',
      request: req,
      meta: { entityRef, trigger },
    });
    let outcome: ScanRequestOutcome;
    try {
      outcome = await service.requestScan(entity, requesterOf(credentials));
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    if ('report' in outcome) {
      await event.success({ meta: { outcome: outcome.kind } });
      await respond(res, entity, outcome.report);
      return;
    }
    await event.fail({
      error: new Error(outcome.message),
      meta: {
        outcome: outcome.kind,
        ...(outcome.kind === 'throttled' ? { reason: outcome.reason } : {}),
      },
    });
    refuse(req, res, outcome.kind === 'busy' ? 503 : 429, outcome);
  }

  function fleetPage(req: Request): { limit: number; cursor?: string } {
    const { limit: rawLimit, cursor } = req.query;
    let limit = FLEET_DEFAULT_PAGE_SIZE;
    if (rawLimit !== undefined) {
      limit = Number(rawLimit);
      if (
        typeof rawLimit !== 'string' ||
        !/^\d+$/.test(rawLimit) ||
        limit < 1 ||
        limit > FLEET_MAX_PAGE_SIZE
      ) {
        throw new InputError(
          `limit must be an integer from 1 to ${FLEET_MAX_PAGE_SIZE}`,
        );
      }
    }
    if (cursor === undefined) return { limit };
    if (
      typeof cursor !== 'string' ||
      cursor.length === 0 ||
      cursor.length > MAX_CURSOR
    ) {
      throw new InputError('invalid cursor');
    }
    return { limit, cursor };
  }

  /**
   * One page of the fleet. A DENY answers an empty list (as the catalog
   * does for entities a caller may not read); a conditional decision
   * becomes a catalog filter when it can, and every entity of the page is
   * authorized with its ref either way. The store is read for the page's
   * entities only.
   */
  router.get('/v1/reports', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { limit, cursor } = fleetPage(req);
    const [decision] = await permissions.authorizeConditional(
      [{ permission: flSecurityReportReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      const event = await auditor.createEvent({
        eventId: 'report-access',
        severityLevel: 'medium',
        request: req,
        meta: { permission: flSecurityReportReadPermission.name },
      });
      await event.fail({
        error: new NotAllowedError(
          `missing permission ${flSecurityReportReadPermission.name}: empty fleet`,
        ),
      });
      const empty: FleetResponse = { items: [] };
      res.json(empty);
      return;
    }
    const conditional = decision.result === AuthorizeResult.CONDITIONAL;
    const allowedQuery = conditional
      ? conditionalDecisionToPredicate(decision)
      : undefined;
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit, fields: FLEET_FIELDS }
        : {
            query: allowedQuery
              ? { $all: [FL_ENTITY_QUERY, allowedQuery] }
              : FL_ENTITY_QUERY,
            // The catalog orders by one field (ties by entity id).
            orderFields: { field: 'metadata.name', order: 'asc' },
            limit,
            fields: FLEET_FIELDS,
            totalItems: 'exclude',
          },
      { credentials },
    );
    let entities = page.items.filter(isFlEntity);
    if (conditional && entities.length > 0) {
      // Cursors come from the client: the decision is made here, per entity.
      const decisions = await permissions.authorize(
        entities.map(entity => ({
          permission: flSecurityReportReadPermission,
          resourceRef: stringifyEntityRef(entity),
        })),
        { credentials },
      );
      entities = entities.filter(
        (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
      );
    }
    const refs = entities.map(entity => stringifyEntityRef(entity));
    const [summaries, histories] = await Promise.all([
      store.latestSummaries(refs),
      store.recentHistories(refs, FLEET_TREND_LENGTH),
    ]);
    const items: FleetEntry[] = entities.map((entity, i) => {
      const entityRef = refs[i];
      const title = entity.metadata.title;
      const stored = summaries.get(entityRef.toLocaleLowerCase('en-US'));
      if (!stored) {
        return { entityRef, ...(title ? { title } : {}), overall: 'unknown' };
      }
      return {
        entityRef,
        ...(title ? { title } : {}),
        federation: stored.federation,
        overall: stored.overall,
        summary: stored.summary,
        generatedAt: stored.generatedAt,
        errorCount: stored.errorCount,
        ...(stored.soonestExpiry
          ? { soonestExpiry: stored.soonestExpiry }
          : {}),
        trend: histories.get(entityRef.toLocaleLowerCase('en-US')) ?? [],
      };
    });
    const body: FleetResponse = {
      items,
      ...(page.pageInfo.nextCursor
        ? { nextCursor: page.pageInfo.nextCursor }
        : {}),
    };
    res.json(body);
  });

  router.get('/v1/reports/:kind/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRef = entityRefOf(req);
    const refresh = req.query.refresh === 'true';
    await access.require({ request: req }, credentials, entityRef, [
      flSecurityReportReadPermission,
      ...(refresh ? [flSecurityReportRefreshPermission] : []),
    ]);
    const entity = await access.flEntity(entityRef, credentials);
    if (refresh) {
      await scanNow(req, res, credentials, entity, 'refresh');
      return;
    }
    const stored = await store.latest(stringifyEntityRef(entity));
    if (stored) {
      await respond(res, entity, stored);
      return;
    }
    // Never scanned: scan now for a caller who may, rather than answer
    // with nothing; the others wait for the schedule.
    const [mayScan] = await access.allowed(credentials, entityRef, [
      flSecurityReportRefreshPermission,
    ]);
    if (!mayScan) {
      // Readable, never scanned: a state, not a missing resource.
      const body: EntityNotScannedResponse = {
        entityRef: stringifyEntityRef(entity),
        overall: 'unknown',
        notScanned: true,
        message: `${stringifyEntityRef(
          getCompoundEntityRef(entity),
        )} has not been scanned yet; the scheduled scan will report it`,
        history: [],
      };
      res.json(body);
      return;
    }
    await scanNow(req, res, credentials, entity, 'first-view');
  });

  router.post(
    '/v1/reports/:kind/:namespace/:name/refresh',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = entityRefOf(req);
      await access.require({ request: req }, credentials, entityRef, [
        flSecurityReportReadPermission,
        flSecurityReportRefreshPermission,
      ]);
      const entity = await access.flEntity(entityRef, credentials);
      await scanNow(req, res, credentials, entity, 'refresh');
    },
  );

  return router;
}
