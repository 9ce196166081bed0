import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  compareReports,
  flSecurityReportReadPermission,
  overallStatus,
} from '@fl-security/plugin-fl-security-common';
import { EntityAccess, validEntityRef } from '../access/entityAccess';
import { ReportStore } from '../store/ReportStore';
import {
  clusterErrorSchema,
  clusterErrors,
  failingResults,
  overallSchema,
  resourceSchema,
  resultSchema,
  summarySchema,
  Zod,
} from './schemas';

export const GET_REPORT_ACTION = 'get-report';

/** Longest entity ref accepted (kind, namespace and name of 63 characters). */
const MAX_REF_LENGTH = 200;

function entityRefOf(input: string): string {
  let ref;
  try {
    ref = parseEntityRef(input.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError('invalid entity reference');
  }
  return validEntityRef(ref);
}

const resultRefSchema = (z: Zod) =>
  z.object({ ruleId: z.string(), resource: resourceSchema(z) });

/**
 * `fl-security:get-report`: the stored FL security report of an entity —
 * its verdict, summary, failing results and what changed since the scan
 * before. Read only: it never starts a scan (the entity tab's "Scan now"
 * and the schedule do). Authorized like `GET /v1/reports/...`: the
 * caller's `fl-security.report.read` on the entity, then the entity as the
 * caller may see it in the catalog.
 */
export function createGetReportAction(options: {
  actionsRegistry: ActionsRegistryService;
  access: EntityAccess;
  store: ReportStore;
}) {
  const { actionsRegistry, access, store } = options;
  actionsRegistry.register({
    name: GET_REPORT_ACTION,
    title: 'Get FL security report',
    description: [
      'Answers whether a federated-learning entity (a Backstage catalog entity) is compliant with the FL security rules:',
      'the verdict of its latest stored scan, results by status, every failing or unevaluated result with its remediation,',
      'problems reading its clusters, and what changed since the scan before.',
      'An entity that was never scanned answers state "not-scanned".',
      'Needs the permission fl-security.report.read on the entity.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(MAX_REF_LENGTH)
            .describe(
              'The entity, e.g. "component:default/demo-federation" (kind defaults to component, namespace to default)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          state: z
            .enum(['scanned', 'not-scanned'])
            .describe('not-scanned: no report yet; the schedule will scan it'),
          overall: overallSchema(z).describe(
            'violations: a rule fails; unknown: something could not be evaluated (never read it as compliant)',
          ),
          message: z.string().describe('One line for a human'),
          federation: z.string().optional(),
          generatedAt: z.string().optional().describe('When it was scanned'),
          summary: summarySchema(z).optional(),
          failing: z
            .array(resultSchema(z))
            .describe(
              'Failing (fail) and unevaluated (error) results, worst first',
            ),
          failingOmitted: z
            .number()
            .int()
            .describe('Failing results left out of `failing` (too many)'),
          clusterErrors: z.array(clusterErrorSchema(z)),
          changes: z
            .object({
              previousGeneratedAt: z.string(),
              newFailures: z.array(resultRefSchema(z)),
              fixed: z.array(resultRefSchema(z)),
            })
            .optional()
            .describe('Against the stored scan before this one'),
        }),
    },
    examples: [
      {
        title: 'Is the demo federation compliant?',
        input: { entityRef: 'component:default/demo-federation' },
      },
    ],
    action: async ({ input, credentials }) => {
      const entityRef = entityRefOf(input.entityRef);
      await access.require(
        { action: GET_REPORT_ACTION },
        credentials,
        entityRef,
        [flSecurityReportReadPermission],
      );
      const entity = await access.flEntity(entityRef, credentials);
      const ref = stringifyEntityRef(entity);
      const { latest, previous } = await store.latestTwo(ref);
      if (!latest) {
        return {
          output: {
            entityRef: ref,
            state: 'not-scanned' as const,
            overall: 'unknown' as const,
            message: `${ref} has not been scanned yet; the scheduled scan will report it`,
            failing: [],
            failingOmitted: 0,
            clusterErrors: [],
          },
        };
      }
      const overall = overallStatus(latest.summary, latest.errors.length);
      const { failing, failingOmitted } = failingResults(latest);
      const { fail, error, warn, pass } = latest.summary;
      const changes = previous ? compareReports(previous, latest) : undefined;
      return {
        output: {
          entityRef: ref,
          state: 'scanned' as const,
          overall,
          message: `${ref}: ${overall} (fail ${fail}, error ${error}, warn ${warn}, pass ${pass}; ${latest.errors.length} cluster problems) at ${latest.generatedAt}`,
          federation: latest.federation,
          generatedAt: latest.generatedAt,
          summary: latest.summary,
          failing,
          failingOmitted,
          clusterErrors: clusterErrors(latest),
          ...(changes
            ? {
                changes: {
                  previousGeneratedAt: changes.previousGeneratedAt,
                  newFailures: changes.newFailures,
                  fixed: changes.fixed,
                },
              }
            : {}),
        },
      };
    },
  });
}
