import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  ComplianceReport,
  overallStatus,
} from '@fl-security/plugin-fl-security-common';
import {
  evaluateFederations,
  ManifestError,
  parseManifests,
} from '@fl-security/plugin-fl-security-node';
import { collectSensitiveValues, sanitizeObject } from '../reader/sanitize';
import { containsSecretMaterial } from '../service/secretGuard';
import {
  clusterErrorSchema,
  clusterErrors,
  failingResults,
  overallSchema,
  resultSchema,
  summarySchema,
} from './schemas';

export const CHECK_MANIFESTS_ACTION = 'check-manifests';

/** Manifests accepted at once (characters): a federation's, not a cluster dump. */
export const MAX_MANIFEST_CHARS = 2 * 1024 * 1024;

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `fl-security:check-manifests`: the offline check of `fl-security check`,
 * on manifests given as text — nothing is read from a cluster or stored.
 * Any authenticated caller may use it (the registry refuses anonymous
 * calls); it reveals nothing of the portal. Secret values of the input
 * never appear in the answer: a report that would carry one is withheld.
 */
export function createCheckManifestsAction(options: {
  actionsRegistry: ActionsRegistryService;
  thresholds: { expiryWarnDays: number; expiryFailDays: number };
}) {
  const { actionsRegistry, thresholds } = options;
  actionsRegistry.register({
    name: CHECK_MANIFESTS_ACTION,
    title: 'Check FL manifests',
    description: [
      'Checks Kubernetes manifests of a federated-learning deployment (YAML stream or JSON, as text) against the FL security rules, offline:',
      'one report per federation found, with its verdict, results by status and every failing or unevaluated result with its remediation.',
      'Nothing is read from a cluster or stored.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          manifests: z
            .string()
            .min(1)
            .max(MAX_MANIFEST_CHARS)
            .describe(
              'Kubernetes manifests: a YAML stream (--- separated) or JSON',
            ),
          now: z
            .string()
            .regex(ISO_8601)
            .optional()
            .describe(
              'Judge certificate validity at this ISO-8601 time (default now)',
            ),
        }),
      output: z =>
        z.object({
          objects: z.number().int().describe('Kubernetes objects read'),
          skippedDocuments: z
            .number()
            .int()
            .describe('Documents that are not Kubernetes objects'),
          reports: z.array(
            z.object({
              federation: z.string(),
              overall: overallSchema(z),
              summary: summarySchema(z),
              failing: z.array(resultSchema(z)),
              failingOmitted: z.number().int(),
              errors: z.array(clusterErrorSchema(z)),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      const now = input.now ? new Date(input.now) : new Date();
      if (Number.isNaN(now.getTime())) {
        throw new InputError('now must be an ISO-8601 date or date-time');
      }
      let loaded;
      try {
        loaded = parseManifests(input.manifests, 'manifests');
      } catch (error) {
        if (error instanceof ManifestError) throw new InputError(error.message);
        throw error;
      }
      const sensitive = new Set<string>();
      const objects = loaded.objects.map(object => {
        if (object.kind === 'Secret') collectSensitiveValues(object, sensitive);
        return sanitizeObject(object);
      });
      const reports = evaluateFederations({
        snapshots: [{ objects, gaps: [] }],
        now,
        thresholds,
      });
      if (reports.length === 0) {
        throw new InputError(
          `no federated-learning workload in ${objects.length} objects (expected the label backstage.io/kubernetes-id or fl-security/role, or a Flower image/command)`,
        );
      }
      return {
        output: {
          objects: objects.length,
          skippedDocuments: loaded.skipped.length,
          reports: reports.map((report, i) =>
            answer(report, i, [...sensitive]),
          ),
        },
      };
    },
  });
}

function answer(report: ComplianceReport, index: number, sensitive: string[]) {
  if (containsSecretMaterial(report, sensitive)) {
    // Fail closed: the report is what would leak, its name included.
    return {
      federation: `federation ${index + 1} (name withheld)`,
      overall: 'unknown' as const,
      summary: { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 },
      failing: [],
      failingOmitted: 0,
      errors: [
        {
          cluster: '-',
          message:
            'report withheld: it contained key material (a defect, please report it)',
        },
      ],
    };
  }
  return {
    federation: report.federation,
    overall: overallStatus(report.summary, report.errors.length),
    summary: report.summary,
    ...failingResults(report),
    errors: clusterErrors(report),
  };
}
