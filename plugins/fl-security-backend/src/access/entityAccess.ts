import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';
import { isFlEntity } from '../entity/flEntity';

const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * The entity ref of a request, validated (never passed on unchecked) and in
 * lower case (refs are case-insensitive; the store keys them so).
 */
export function validEntityRef(ref: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  const { kind, namespace, name } = ref;
  if (!KIND.test(kind) || !NAME.test(namespace) || !NAME.test(name)) {
    throw new InputError('invalid entity reference');
  }
  return stringifyEntityRef({ kind, namespace, name }).toLocaleLowerCase(
    'en-US',
  );
}

/** Who asked: the user's entity ref or the calling service. */
export function requesterOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/** Where an access came from, for the audit log. */
export type AccessOrigin = { request: Request } | { action: string };

/**
 * Access to one entity's report, the same for routes and actions: the
 * permissions are authorized with the entity ref as resourceRef before the
 * entity is looked up (a caller who may not read an entity learns nothing
 * about it, not even whether it exists), and the entity is fetched with the
 * caller's credentials, so catalog visibility applies too.
 */
export class EntityAccess {
  constructor(
    private readonly options: {
      permissions: PermissionsService;
      auditor: AuditorService;
      catalog: CatalogService;
    },
  ) {}

  /** Whether each permission is allowed on the entity (one batch). */
  async allowed(
    credentials: BackstageCredentials,
    entityRef: string,
    wanted: ResourcePermission[],
  ): Promise<boolean[]> {
    const decisions = await this.options.permissions.authorize(
      wanted.map(permission => ({ permission, resourceRef: entityRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  /** Throws NotAllowedError (audited) unless every permission is allowed. */
  async require(
    origin: AccessOrigin,
    credentials: BackstageCredentials,
    entityRef: string,
    wanted: ResourcePermission[],
  ): Promise<void> {
    const results = await this.allowed(credentials, entityRef, wanted);
    const missing = wanted.find((_, i) => !results[i]);
    if (missing) await this.denied(origin, entityRef, missing);
  }

  /** Audits the refusal, then throws it. */
  async denied(
    origin: AccessOrigin,
    entityRef: string | undefined,
    permission: ResourcePermission,
  ): Promise<never> {
    const error = new NotAllowedError(
      `missing permission ${permission.name}${
        entityRef ? ` on ${entityRef}` : ''
      }`,
    );
    const event = await this.options.auditor.createEvent({
      eventId: 'report-access',
      severityLevel: 'medium',
      ...('request' in origin ? { request: origin.request } : {}),
      meta: {
        permission: permission.name,
        ...(entityRef ? { entityRef } : {}),
        ...('action' in origin ? { action: origin.action } : {}),
      },
    });
    await event.fail({ error });
    throw error;
  }

  /** The FL entity, as the caller may see it; NotFoundError otherwise. */
  async flEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`no entity ${entityRef}`);
    if (!isFlEntity(entity)) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} is not a federated-learning entity`,
      );
    }
    return entity;
  }
}
