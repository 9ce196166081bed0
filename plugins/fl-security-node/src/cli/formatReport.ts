/**
 * Output formats of `fl-security check`: text for people, the JSON shape of
 * the issue for scripts, SARIF 2.1.0 for code scanning (findings on the
 * manifest lines).
 */
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CHECK_STATUSES,
  ComplianceReport,
  RULES,
  RuleResult,
  Severity,
  StatusSummary,
  summarize,
} from '@fl-security/plugin-fl-security-common';
import { resourceKey } from '../engine';
import type { LoadedManifests, SourceLocation } from './loadManifests';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  'text',
  'json',
  'sarif',
];

function allResults(reports: readonly ComplianceReport[]): RuleResult[] {
  return reports.flatMap(r => r.results);
}

/** Where a result points: its object, else an object of its namespace, else the first file. */
export function locationOf(
  result: RuleResult,
  loaded: LoadedManifests,
): SourceLocation | undefined {
  const { kind, namespace, name } = result.resource;
  const exact = loaded.locations.get(resourceKey({ kind, namespace, name }));
  if (exact) return exact;
  const nsName = kind === 'Namespace' ? name : namespace;
  if (nsName) {
    for (const [key, location] of loaded.locations) {
      if (key.split('/')[2] === nsName) return location;
    }
  }
  return loaded.locations.values().next().value;
}

/** Always the three keys of the documented shape; null namespace for cluster-scoped kinds. */
function plainResource(result: RuleResult) {
  const { kind, namespace, name } = result.resource;
  return { kind, namespace: namespace ?? null, name };
}

export function formatJson(reports: readonly ComplianceReport[]): string {
  const results = allResults(reports);
  const body = {
    results: results.map(r => ({
      ruleId: r.ruleId,
      status: r.status,
      severity: r.severity,
      resource: plainResource(r),
      message: r.message,
      remediation: r.remediation,
    })),
    summary: summarize(results),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : file;
}

function summaryLine(summary: StatusSummary): string {
  return CHECK_STATUSES.map(status => `${summary[status]} ${status}`).join(
    ', ',
  );
}

export function formatText(
  reports: readonly ComplianceReport[],
  loaded: LoadedManifests,
): string {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(
      `Federation ${report.federation}: ${summaryLine(report.summary)}`,
    );
    for (const result of report.results) {
      if (result.status === 'pass' || result.status === 'skip') continue;
      const location = locationOf(result, loaded);
      const where = location
        ? `${displayPath(location.file)}:${location.line}`
        : '';
      const { kind, namespace, name } = result.resource;
      lines.push(
        `  ${result.status.toUpperCase().padEnd(5)} ${result.ruleId.padEnd(
          7,
        )} ${kind} ${namespace ? `${namespace}/` : ''}${name}${
          where ? ` (${where})` : ''
        }`,
      );
      lines.push(`        ${result.message}`);
      if (result.status === 'fail')
        lines.push(`        fix: ${result.remediation}`);
    }
  }
  const total = summarize(allResults(reports));
  lines.push(`Total: ${summaryLine(total)}`);
  return `${lines.join('\n')}\n`;
}

const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

function artifactUri(file: string): { uri: string; uriBaseId?: string } {
  const rel = relative(process.cwd(), file);
  if (rel && !rel.startsWith('..') && !rel.includes(':')) {
    return {
      uri: rel.split(sep).map(encodeURIComponent).join('/'),
      uriBaseId: '%SRCROOT%',
    };
  }
  return { uri: pathToFileURL(file).href };
}

/** SARIF 2.1.0: one run, the whole rule catalogue, results for fail, warn and error. */
export function formatSarif(
  reports: readonly ComplianceReport[],
  loaded: LoadedManifests,
  toolVersion: string,
): string {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id as string, i]));
  const results = allResults(reports)
    .filter(
      r => r.status === 'fail' || r.status === 'warn' || r.status === 'error',
    )
    .map(r => {
      const location = locationOf(r, loaded);
      const { kind, namespace, name } = r.resource;
      const text =
        r.status === 'error' ? `Could not evaluate: ${r.message}` : r.message;
      return {
        ruleId: r.ruleId,
        ruleIndex: ruleIndex.get(r.ruleId),
        level: r.status === 'fail' ? 'error' : 'warning',
        kind: r.status === 'error' ? 'review' : 'fail',
        message: {
          text: r.status === 'fail' ? `${text} Fix: ${r.remediation}` : text,
        },
        locations: [
          {
            ...(location
              ? {
                  physicalLocation: {
                    artifactLocation: artifactUri(location.file),
                    region: {
                      startLine: location.line,
                      startColumn: location.column,
                    },
                  },
                }
              : {}),
            logicalLocations: [
              {
                name: `${kind}/${namespace ? `${namespace}/` : ''}${name}`,
                kind: 'resource',
              },
            ],
          },
        ],
        partialFingerprints: {
          resourceRule: `${r.ruleId}/${resourceKey(r.resource)}`,
        },
      };
    });
  const sarif = {
    $schema:
      'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fl-security',
            semanticVersion: toolVersion,
            rules: RULES.map(rule => ({
              id: rule.id,
              name: rule.title
                .replace(/[^A-Za-z0-9]+/g, ' ')
                .trim()
                .split(' ')
                .map(w => w[0].toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.rationale },
              help: { text: rule.remediation },
              defaultConfiguration: {
                level:
                  rule.severity === 'critical' || rule.severity === 'high'
                    ? 'error'
                    : 'warning',
              },
              properties: {
                tags: ['security', rule.area],
                'security-severity': SECURITY_SEVERITY[rule.severity],
                precision: 'high',
              },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
