import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { flSecurityPermissions } from '@fl-security/plugin-fl-security-common';
import { EntityAccess } from './access/entityAccess';
import { createCheckManifestsAction, createGetReportAction } from './actions';
import { readClusters } from './config/clusters';
import { readSettings } from './config/settings';
import { FL_ENTITY_QUERY, isFlEntity } from './entity/flEntity';
import { PolicyReportExporter } from './export/policyReport';
import { NotificationStateStore } from './notifications/NotificationStateStore';
import { ReportNotifier } from './notifications/ReportNotifier';
import { readNotificationSettings } from './notifications/settings';
import { FederationReader } from './reader/federationReader';
import { mapLimit } from './reader/limit';
import { createRouter } from './router/createRouter';
import { evaluateFederation } from './service/engine';
import { ReportService } from './service/ReportService';
import { ReportStore } from './store/ReportStore';

/** Entities read from the catalog at a time by the scheduled scan. */
const SCHEDULE_PAGE_SIZE = 200;

/**
 * FL security backend: reads the clusters of federated-learning entities,
 * evaluates them with the compliance engine, stores and serves reports.
 */
export const flSecurityPlugin = createBackendPlugin({
  pluginId: 'fl-security',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        auditor,
        permissionsRegistry,
        catalog,
        actionsRegistry,
        notifications,
      }) {
        permissionsRegistry.addPermissions(flSecurityPermissions);
        const settings = readSettings(config);
        const { clusters, ignoredLocatorTypes } = await readClusters(config);
        for (const type of ignoredLocatorTypes) {
          logger.warn(
            `kubernetes.clusterLocatorMethods of type '${type}' are not read by fl-security; list those clusters under type 'config'`,
          );
        }
        for (const cluster of clusters.filter(c => c.error)) {
          logger.warn(
            `Cluster ${cluster.name} cannot be read: ${cluster.error}`,
          );
        }

        const store = await ReportStore.create(database, settings.historyLimit);
        const notificationSettings = readNotificationSettings(config);
        const notifier = notificationSettings.enabled
          ? new ReportNotifier({
              store: await NotificationStateStore.create(database),
              notifications,
              logger,
              settings: notificationSettings,
            })
          : undefined;
        const reader = new FederationReader(clusters, {
          clusterTimeoutMs: settings.clusterTimeoutMs,
          concurrency: settings.concurrency,
          limits: settings.scans.budget,
          namespaceMappings: settings.namespaceBindings,
        });
        const service = new ReportService({
          reader,
          evaluate: evaluateFederation,
          store,
          logger,
          thresholds: settings.thresholds,
          scans: settings.scans,
          onStored: notifier
            ? (entity, ref, report) => notifier.onReport(entity, ref, report)
            : undefined,
          exporter: settings.exportEnabled
            ? new PolicyReportExporter(clusters, {
                format: settings.exportFormat,
                logger,
                auditor,
                timeoutMs: settings.clusterTimeoutMs,
                limiterFor: cluster => reader.limiterFor(cluster),
              })
            : undefined,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditor,
            catalog,
            service,
            store,
          }),
        );

        // Actions (and through the MCP actions backend, assistants): read
        // only, authorized like the routes with the caller's credentials.
        createGetReportAction({
          actionsRegistry,
          access: new EntityAccess({ permissions, auditor, catalog }),
          store,
        });
        createCheckManifestsAction({
          actionsRegistry,
          thresholds: settings.thresholds,
        });

        await scheduler.scheduleTask({
          id: 'fl-security-scan',
          // One replica scans at a time; all serve the stored reports.
          scope: 'global',
          ...settings.schedule,
          fn: async signal => {
            const credentials = await auth.getOwnServiceCredentials();
            const event = await auditor.createEvent({
              eventId: 'report-scan',
              severityLevel: 'low',
              meta: { trigger: 'schedule' },
            });
            const count = { scanned: 0, failed: 0 };
            // Page by page: the catalog may hold many thousands of entities.
            let cursor: string | undefined;
            do {
              if (signal?.aborted) break;
              const page = await catalog.queryEntities(
                cursor
                  ? { cursor, limit: SCHEDULE_PAGE_SIZE }
                  : {
                      query: FL_ENTITY_QUERY,
                      limit: SCHEDULE_PAGE_SIZE,
                      totalItems: 'exclude',
                    },
                { credentials },
              );
              const entities = page.items.filter(isFlEntity);
              await mapLimit(
                entities,
                settings.entityConcurrency,
                async entity => {
                  if (signal?.aborted) return;
                  try {
                    await service.scan(entity, signal);
                    count.scanned += 1;
                  } catch (error) {
                    count.failed += 1;
                    logger.error(
                      `Scan of ${entity.metadata.name} failed`,
                      error as Error,
                    );
                  }
                },
              );
              cursor = page.pageInfo.nextCursor;
            } while (cursor);
            logger.info(
              `Scanned ${count.scanned} FL entities (${count.failed} failed)`,
            );
            await event.success({ meta: count });
          },
        });
      },
    });
  },
});
