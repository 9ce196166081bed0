import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ComplianceReport,
  ResourceRef,
} from '@fl-security/plugin-fl-security-common';
import { NotificationStateStore } from './NotificationStateStore';
import { NotificationSettings } from './settings';
import { nextState, Transition } from './transitions';

/** Notifications of this plugin carry this topic (users can filter on it). */
export const NOTIFICATION_TOPIC = 'fl-security';

/** Path of the entity's FL Security tab in the portal. */
function entityTabPath(entity: Entity): string {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/fl-security`;
}

/** The owners the catalog resolved (ownedBy), else spec.owner. */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return [...new Set(related)];
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner === '') return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

const where = (resource: ResourceRef) =>
  [resource.cluster, resource.namespace, resource.name]
    .filter(Boolean)
    .join('/');

function payloadOf(
  transition: Transition,
  entity: Entity,
  entityRef: string,
): NotificationPayload {
  const name = entity.metadata.title ?? entity.metadata.name;
  const base = { topic: NOTIFICATION_TOPIC, link: entityTabPath(entity) };
  switch (transition.kind) {
    case 'federation-failing':
      return {
        ...base,
        title: `${name} fails its FL security checks`,
        description: `${transition.failCount} failing result${
          transition.failCount === 1 ? '' : 's'
        } (${transition.rules.join(', ')}); it passed at the scan before.`,
        severity: 'high',
        // One line per entity and subject: a recovery replaces the failure.
        scope: `fl-security:${entityRef}:federation`,
      };
    case 'federation-recovered':
      return {
        ...base,
        title: `${name} passes its FL security checks again`,
        description: 'No rule fails any more.',
        severity: 'normal',
        scope: `fl-security:${entityRef}:federation`,
      };
    default: {
      const subject = `certificate in ${where(transition.resource)}`;
      const titles = {
        'certificate-warn': `${name}: ${subject} is close to expiry`,
        'certificate-fail': `${name}: ${subject} expires within the failure threshold`,
        'certificate-recovered': `${name}: ${subject} is renewed`,
      };
      return {
        ...base,
        title: titles[transition.kind],
        description: transition.message,
        severity: {
          'certificate-warn': 'normal' as const,
          'certificate-fail': 'critical' as const,
          'certificate-recovered': 'low' as const,
        }[transition.kind],
        scope: `fl-security:${entityRef}:certificate:${where(
          transition.resource,
        )}`,
      };
    }
  }
}

/**
 * Tells an entity's owners when its federation goes from passing to
 * failing, when a certificate crosses the warn or fail threshold, and when
 * either recovers: once per transition (the last notified state is in the
 * database and claimed compare-and-set), never per scan. A failed send
 * gives the claim back, so the next scan tries again.
 */
export class ReportNotifier {
  constructor(
    private readonly options: {
      store: NotificationStateStore;
      notifications: Pick<NotificationService, 'send'>;
      logger: LoggerService;
      settings: NotificationSettings;
    },
  ) {}

  async onReport(
    entity: Entity,
    entityRef: string,
    report: ComplianceReport,
  ): Promise<void> {
    const { store, notifications, logger, settings } = this.options;
    if (!settings.enabled) return;
    const stored = await store.get(entityRef);
    const { state, transitions } = nextState(stored?.state, report, {
      federation: settings.federationStatus,
      certificates: settings.certificateExpiry,
    });
    if (!stored) {
      await store.createBaseline(entityRef, state);
      return;
    }
    if (JSON.stringify(state) === JSON.stringify(stored.state)) return;
    const version = await store.replace(entityRef, stored.version, state);
    // Another replica recorded this scan's news first: it notifies.
    if (version === undefined || transitions.length === 0) return;

    const owners = ownersOf(entity);
    if (owners.length === 0) {
      logger.warn(`No owner to notify of FL security changes of ${entityRef}`);
      return;
    }
    try {
      for (const transition of transitions) {
        await notifications.send({
          recipients: { type: 'entity', entityRef: owners },
          payload: payloadOf(transition, entity, entityRef),
        });
      }
    } catch (error) {
      // Give the claim back: the next scan sees the transition again.
      await store.replace(entityRef, version, stored.state);
      logger.warn(
        `Notifying the owners of ${entityRef} failed; will retry at the next scan`,
        error as Error,
      );
    }
  }
}
