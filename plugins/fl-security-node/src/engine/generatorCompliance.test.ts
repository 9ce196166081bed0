/**
 * The generator's output must pass the engine offline: the documented
 * example and every spec variant, with the certificates issued from its
 * cert-manager Certificate specs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ComplianceReport,
  FederationSpecInput,
} from '@fl-security/plugin-fl-security-common';
import { generateFromInput, parseSpecText } from '../generator';
import { specVariants, withDigests } from '../generator/__testUtils__/specs';
import { evaluateFederations } from './evaluate';
import { issueFromCertificates } from './__testUtils__/issueFromSpecs';
import type { KubeObject } from './types';

function generate(input: unknown): KubeObject[] {
  const result = generateFromInput(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.objects as unknown as KubeObject[];
}

function evaluate(objects: KubeObject[]): ComplianceReport {
  const reports = evaluateFederations({
    snapshots: [{ objects, gaps: [] }],
    now: new Date(),
  });
  expect(reports).toHaveLength(1);
  return reports[0];
}

const notPassing = (report: ComplianceReport, statuses: string[]) =>
  report.results
    .filter(r => statuses.includes(r.status))
    .map(
      r =>
        `${r.ruleId} ${r.status} ${r.resource.kind} ${
          r.resource.namespace ?? ''
        }/${r.resource.name}: ${r.message}`,
    );

describe('generator output against the engine', () => {
  const example = parseSpecText(
    readFileSync(
      join(__dirname, '..', '..', '..', '..', 'examples', 'federation.yaml'),
      'utf8',
    ),
  );

  it('passes every rule for the documented example with its certificates issued', () => {
    if (!example.ok) throw new Error(example.errors.join('; '));
    const objects = generate(example.value);
    const secrets = issueFromCertificates(objects);
    expect(
      secrets.map(s => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
    ).toEqual([
      'cert-manager/demo-federation-ca',
      'clinic-c-fl/supernode-tls',
      'demo-federation-aggregator/superlink-tls',
      'demo-federation-hospital-a/supernode-tls',
      'demo-federation-hospital-b/supernode-tls',
    ]);
    const report = evaluate([...objects, ...secrets]);
    expect(notPassing(report, ['fail', 'error'])).toEqual([]);
    // The example names no digest: IMG-01 warns on each of its workloads, nothing else does.
    // Sorted: the engine's result order is not part of this contract.
    expect(notPassing(report, ['warn']).sort()).toEqual([
      expect.stringMatching(
        /^IMG-01 warn Deployment clinic-c-fl\/supernode: .*by tag only/,
      ),
      expect.stringMatching(
        /^IMG-01 warn Deployment demo-federation-aggregator\/superlink: .*flwr\/superlink:1\.42\.0 by tag only.*haproxy:3\.2 by tag only/,
      ),
      expect.stringMatching(
        /^IMG-01 warn Deployment demo-federation-hospital-a\/supernode: .*by tag only/,
      ),
      expect.stringMatching(
        /^IMG-01 warn Deployment demo-federation-hospital-b\/supernode: .*by tag only/,
      ),
    ]);
    // The certificates were really checked, not skipped.
    const certPasses = report.results.filter(
      r =>
        r.ruleId.startsWith('CERT-') &&
        r.status === 'pass' &&
        r.resource.kind === 'Secret',
    );
    expect(new Set(certPasses.map(r => r.ruleId))).toEqual(
      new Set(['CERT-02', 'CERT-03', 'CERT-04', 'CERT-06']),
    );
    expect(report.results.find(r => r.ruleId === 'CERT-05')?.message).toMatch(
      /Secret demo-federation-aggregator\/superlink-tls tls.crt\) covers every dialled name: fl.example.com/,
    );
    expect(report.certificates.filter(c => c.chainIndex === 0)).toHaveLength(5);
    // Only the cert-manager status (no cluster) and the mesh (none) do not apply.
    expect(
      [
        ...new Set(
          report.results.filter(r => r.status === 'skip').map(r => r.ruleId),
        ),
      ].sort(),
    ).toEqual(['CERT-01', 'ING-04', 'MESH-01']);
  });

  it('passes every rule, IMG-01 included, for the example with its images pinned by digest', () => {
    if (!example.ok) throw new Error(example.errors.join('; '));
    const objects = generate(withDigests(example.value as FederationSpecInput));
    const report = evaluate([...objects, ...issueFromCertificates(objects)]);
    expect(notPassing(report, ['fail', 'warn', 'error'])).toEqual([]);
    expect(
      report.results.filter(r => r.ruleId === 'IMG-01').map(r => r.status),
    ).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('passes offline before deploy (Secrets issued at deploy time are skipped, specs checked)', () => {
    if (!example.ok) throw new Error(example.errors.join('; '));
    const report = evaluate(generate(example.value));
    expect(notPassing(report, ['fail', 'error'])).toEqual([]);
    expect(
      report.results
        .filter(
          r => r.ruleId === 'CERT-03' && r.resource.kind === 'Certificate',
        )
        .map(r => r.status),
    ).toContain('pass');
  });

  it.each(
    Object.entries(specVariants).filter(([name]) => name !== 'vault agent'),
  )('has no failing rule for the %s variant', (_name, spec) => {
    const objects = generate(spec);
    const report = evaluate([...objects, ...issueFromCertificates(objects)]);
    expect(notPassing(report, ['fail', 'error'])).toEqual([]);
  });

  it('accepts the Vault egress of the vault agent variant only when the participant declares it', () => {
    const objects = generate(specVariants['vault agent']);
    const undeclared = evaluate(objects).results.filter(
      r => r.ruleId === 'NET-05',
    );
    const declared = objects.map(o => {
      if (
        o.kind !== 'Deployment' ||
        o.metadata.labels?.['fl-security/role'] !== 'participant'
      )
        return o;
      return {
        ...o,
        metadata: {
          ...o.metadata,
          annotations: {
            ...o.metadata.annotations,
            'fl-security/allowed-egress': 'namespace/vault,10.20.0.0/16',
          },
        },
      };
    });
    const passing = evaluate(declared).results.filter(
      r => r.ruleId === 'NET-05',
    );
    const written = undeclared.every(r => r.status === 'pass');
    // Whether or not the generator already writes the annotation, declaring it must make NET-05 pass.
    expect(passing.map(r => r.status)).toEqual(passing.map(() => 'pass'));
    expect(
      written || undeclared.some(r => /namespace vault/.test(r.message)),
    ).toBe(true);
  });
});
