/**
 * The generator's output must satisfy the compliance engine (the same rules
 * as the portal's FL Security tab and `fl-security check`): no fail and no
 * error for any option. Warnings are allowed only for objects the generated
 * tree cannot contain (an external Gateway or issuer) and, while the spec
 * gives no digests, for tag-only images (IMG-01).
 */
import { parseFederationSpec } from '@fl-security/plugin-fl-security-common';
import { evaluateFederations } from '../engine';
import { generateFederationProject } from './generate';
import { specVariants, withDigests } from './__testUtils__/specs';

const EXTERNAL_WARNINGS = new Set(['ING-01', 'ING-05', 'CERT-06']);

describe.each(Object.entries(specVariants))('compliance of "%s"', (_label, input) => {
  const spec = parseFederationSpec(input);
  const project = generateFederationProject(spec);
  const reports = evaluateFederations({
    snapshots: [{ objects: project.objects, gaps: [] }],
    now: new Date('2026-12-01T00:00:00Z'),
  });

  it('is one federation with the spec name', () => {
    expect(reports.map(r => r.federation)).toEqual([spec.name]);
  });

  it('has no failing or unevaluable rule', () => {
    const bad = reports[0].results.filter(r => r.status === 'fail' || r.status === 'error');
    expect(bad.map(r => `${r.ruleId} ${r.resource.kind} ${r.resource.name}: ${r.message}`)).toEqual([]);
    expect(reports[0].summary.pass).toBeGreaterThan(20);
  });

  it('warns only about objects outside the generated tree and tag-only images', () => {
    const warnings = reports[0].results.filter(r => r.status === 'warn');
    const images = warnings.filter(w => w.ruleId === 'IMG-01').map(w => w.message);
    expect(images).toEqual(images.map(() => expect.stringMatching(/by tag only \(no digest\)/)));
    const others = warnings.filter(w => w.ruleId !== 'IMG-01').map(w => w.ruleId);
    expect(others.filter(id => !EXTERNAL_WARNINGS.has(id))).toEqual([]);
  });

  it('passes IMG-01 on every workload once the spec pins the images by digest', () => {
    const pinned = generateFederationProject(parseFederationSpec(withDigests(input)));
    const [report] = evaluateFederations({
      snapshots: [{ objects: pinned.objects, gaps: [] }],
      now: new Date('2026-12-01T00:00:00Z'),
    });
    const img01 = report.results.filter(r => r.ruleId === 'IMG-01');
    expect(img01.length).toBe(1 + spec.participants.length);
    expect(img01.filter(r => r.status !== 'pass').map(r => r.message)).toEqual([]);
  });
});
