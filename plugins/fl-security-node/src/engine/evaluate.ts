/**
 * The engine: snapshots + clock + thresholds in, one ComplianceReport per
 * federation out. Pure: no I/O, no system clock.
 */
import {
  CertificateInfo,
  ClusterError,
  ComplianceReport,
  summarize,
} from '@fl-security/plugin-fl-security-common';
import { certificateInfo, tlsMaterial } from './model/certificates';
import { ClusterIndex } from './model/clusterIndex';
import { Federation, resolveFederations } from './model/federation';
import { tlsSecretUses } from './model/tls';
import { RuleContext, runRules } from './ruleKit';
import { ALL_RULES } from './rules';
import { reachabilityEntries } from './rules/shared/reachability';
import { withSiteEgress } from './siteReachability';
import { DEFAULT_THRESHOLDS, EngineInput, Thresholds } from './types';

function thresholdsOf(input: EngineInput): Thresholds {
  const merged = { ...DEFAULT_THRESHOLDS, ...(input.thresholds ?? {}) };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`threshold ${key} must be a non-negative number`);
    }
  }
  return merged;
}

function checkInput(input: EngineInput): void {
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) {
    throw new TypeError('EngineInput.now must be a valid Date');
  }
  if (!Array.isArray(input.snapshots))
    throw new TypeError('EngineInput.snapshots must be an array');
}

/** Why a certificate could not be modelled, without its bytes. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * The inventory of served certificates. A certificate Node cannot model (an
 * undecodable extension, a key OpenSSL cannot load) is named in `errors` and
 * left out; the rules judge it on their own (crash-to-error per subject), so
 * one bad Secret never removes the federation's report.
 */
function certificatesOf(
  federation: Federation,
  now: Date,
): { certificates: CertificateInfo[]; errors: ClusterError[] } {
  const certificates: CertificateInfo[] = [];
  const errors: ClusterError[] = [];
  for (const use of tlsSecretUses(federation)) {
    if (!use.secret) continue;
    const material = tlsMaterial(use.secret);
    const source = workloadlessRef(
      use.index.cluster,
      'Secret',
      use.namespace,
      use.name,
    );
    // ca.crt certificates follow the tls.crt chain in numbering.
    [...material.chain, ...material.ca].forEach((cert, i) => {
      try {
        certificates.push(certificateInfo(cert, source, i, now));
      } catch (error) {
        errors.push({
          cluster: use.index.cluster ?? '',
          message: `Secret ${use.namespace}/${
            use.name
          }: certificate ${i} could not be read (${reasonOf(error)}).`,
        });
      }
    });
  }
  return { certificates, errors };
}

function workloadlessRef(
  cluster: string | undefined,
  kind: string,
  namespace: string,
  name: string,
) {
  return cluster === undefined
    ? { kind, namespace, name }
    : { cluster, kind, namespace, name };
}

function clusterErrors(indexes: Iterable<ClusterIndex>): ClusterError[] {
  const out: ClusterError[] = [];
  for (const index of indexes) {
    for (const gap of index.gaps) {
      if (gap.status !== 'error') continue;
      const what = [gap.kind, gap.namespace, gap.name]
        .filter(Boolean)
        .join(' ');
      const error: ClusterError = {
        cluster: index.cluster ?? '',
        message: `${what}: ${gap.reason}`,
      };
      if (gap.missingPermission)
        error.missingPermission = gap.missingPermission;
      out.push(error);
    }
  }
  return out;
}

function report(
  federation: Federation,
  context: Omit<RuleContext, 'federation'>,
): ComplianceReport {
  // Rules run in catalogue order; within a rule, results are sorted by resource.
  const results = runRules(ALL_RULES, { ...context, federation });
  const inventory = certificatesOf(federation, context.now);
  const errors = clusterErrors(new Set(federation.members.map(m => m.index)));
  let reachability: ComplianceReport['reachability'] = [];
  try {
    reachability = withSiteEgress(
      federation,
      reachabilityEntries(federation),
      results,
    );
  } catch (error) {
    // NET-04 reports the same failure as an error result; the table is left empty.
    errors.push({
      cluster: '',
      message: `The reachability table could not be computed (${reasonOf(
        error,
      )}).`,
    });
  }
  return {
    federation: federation.name,
    generatedAt: context.now.toISOString(),
    results,
    summary: summarize(results),
    certificates: inventory.certificates,
    reachability,
    errors: [...errors, ...inventory.errors],
  };
}

/** One ComplianceReport per federation (backstage.io/kubernetes-id), sorted by name. */
export function evaluateFederations(input: EngineInput): ComplianceReport[] {
  checkInput(input);
  const thresholds = thresholdsOf(input);
  const indexes = input.snapshots.map(snapshot => new ClusterIndex(snapshot));
  return resolveFederations(indexes).map(federation =>
    report(federation, { now: input.now, thresholds }),
  );
}

/** The report of one federation; objects of other federations only count as other sources. */
export function evaluateFederation(
  input: EngineInput & { federation: string },
): ComplianceReport {
  checkInput(input);
  const thresholds = thresholdsOf(input);
  const indexes = input.snapshots.map(snapshot => new ClusterIndex(snapshot));
  const federation = resolveFederations(indexes).find(
    f => f.name === input.federation,
  );
  if (federation) return report(federation, { now: input.now, thresholds });
  const errors = clusterErrors(indexes);
  errors.push({
    cluster: indexes.map(i => i.cluster ?? '').join(', '),
    message: `No FL workload labelled backstage.io/kubernetes-id=${input.federation} was found.`,
  });
  return {
    federation: input.federation,
    generatedAt: input.now.toISOString(),
    results: [],
    summary: summarize([]),
    certificates: [],
    reachability: [],
    errors,
  };
}
