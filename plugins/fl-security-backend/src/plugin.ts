import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { flSecurityPermissions } from '@fl-security/plugin-fl-security-common';
import { readClusters } from './config/clusters';
import { readSettings } from './config/settings';
import { FL_ENTITY_FILTERS, isFlEntity } from './entity/flEntity';
import { PolicyReportExporter } from './export/policyReport';
import { FederationReader } from './reader/federationReader';
import { mapLimit } from './reader/limit';
import { createRouter } from './router/createRouter';
import { evaluateFederation } from './service/engine';
import { ReportService } from './service/ReportService';
import { ReportStore } from './store/ReportStore';

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
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
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
        permissionsRegistry,
        catalog,
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
        const service = new ReportService({
          reader: new FederationReader(clusters, {
            clusterTimeoutMs: settings.clusterTimeoutMs,
            concurrency: settings.concurrency,
          }),
          evaluate: evaluateFederation,
          store,
          logger,
          thresholds: settings.thresholds,
          exporter: settings.policyReportEnabled
            ? new PolicyReportExporter(clusters, {
                logger,
                timeoutMs: settings.clusterTimeoutMs,
              })
            : undefined,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            catalog,
            service,
            store,
          }),
        );

        await scheduler.scheduleTask({
          id: 'fl-security-scan',
          // One replica scans at a time; all serve the stored reports.
          scope: 'global',
          ...settings.schedule,
          fn: async signal => {
            const credentials = await auth.getOwnServiceCredentials();
            const { items } = await catalog.getEntities(
              { filter: FL_ENTITY_FILTERS },
              { credentials },
            );
            const entities = items.filter(isFlEntity);
            logger.info(`Scanning ${entities.length} FL entities`);
            await mapLimit(
              entities,
              settings.entityConcurrency,
              async entity => {
                if (signal?.aborted) return;
                try {
                  await service.scan(entity, signal);
                } catch (error) {
                  logger.error(
                    `Scan of ${entity.metadata.name} failed`,
                    error as Error,
                  );
                }
              },
            );
          },
        });
      },
    });
  },
});
