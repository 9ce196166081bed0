import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ComplianceReport,
  EntityReportResponse,
  FleetEntry,
  FleetResponse,
  flSecurityReportReadPermission,
  overallStatus,
} from '@fl-security/plugin-fl-security-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { FL_ENTITY_FILTERS, isFlEntity } from '../entity/flEntity';
import { ReportService } from '../service/ReportService';
import { ReportStore } from '../store/ReportStore';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  service: ReportService;
  store: ReportStore;
}

const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Routes under /api/fl-security. Every route needs user or service
 * credentials and the `fl-security.report.read` permission; entities are
 * fetched with the caller's credentials, so catalog visibility applies too.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, service, store } = options;
  const router = Router();
  router.use(express.json());

  async function authorize(req: Request): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: flSecurityReportReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `missing permission ${flSecurityReportReadPermission.name}`,
      );
    }
    return credentials;
  }

  async function flEntity(
    req: Request,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const { kind, namespace, name } = req.params;
    if (!KIND.test(kind) || !NAME.test(namespace) || !NAME.test(name)) {
      throw new InputError('invalid entity reference');
    }
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`no entity ${kind}:${namespace}/${name}`);
    }
    if (!isFlEntity(entity)) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} is not a federated-learning entity`,
      );
    }
    return entity;
  }

  async function respond(
    entity: Entity,
    report: ComplianceReport,
  ): Promise<EntityReportResponse> {
    const entityRef = stringifyEntityRef(entity);
    return {
      entityRef,
      overall: overallStatus(report.summary, report.errors.length),
      report,
      history: await store.history(entityRef),
    };
  }

  router.get('/v1/reports', async (req, res) => {
    const credentials = await authorize(req);
    const { items } = await catalog.getEntities(
      {
        filter: FL_ENTITY_FILTERS,
        fields: ['kind', 'metadata', 'spec.type'],
      },
      { credentials },
    );
    const summaries = await store.latestSummaries();
    const fleet: FleetEntry[] = items.filter(isFlEntity).map(entity => {
      const entityRef = stringifyEntityRef(entity);
      const stored = summaries.get(entityRef.toLocaleLowerCase('en-US'));
      const title = entity.metadata.title;
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
      };
    });
    fleet.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    const body: FleetResponse = { items: fleet };
    res.json(body);
  });

  router.get('/v1/reports/:kind/:namespace/:name', async (req, res) => {
    const credentials = await authorize(req);
    const entity = await flEntity(req, credentials);
    const refresh = req.query.refresh === 'true';
    const stored = refresh
      ? undefined
      : await store.latest(stringifyEntityRef(entity));
    // Never scanned yet: scan now rather than answer with nothing.
    const report = stored ?? (await service.scan(entity));
    res.json(await respond(entity, report));
  });

  router.post(
    '/v1/reports/:kind/:namespace/:name/refresh',
    async (req, res) => {
      const credentials = await authorize(req);
      const entity = await flEntity(req, credentials);
      res.json(await respond(entity, await service.scan(entity)));
    },
  );

  return router;
}
