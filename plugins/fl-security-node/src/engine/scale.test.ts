/**
 * The generator's aggregator policy names every participant: reachability
 * stays exact at a few hundred participants (timings live in `yarn bench`).
 */
import { generateFromInput } from '../generator';
import { evaluateFederation } from './evaluate';
import type { KubeObject } from './types';

describe('a federation of 300 participants', () => {
  it('admits exactly the participants to the FL port', () => {
    const result = generateFromInput({
      name: 'wide',
      participants: Array.from({ length: 300 }, (_, i) => ({ name: `s${i}` })),
      network: {
        exposure: 'ingress-nginx',
        externalHost: 'fl.example.com',
        allowedCidrs: ['203.0.113.0/24'],
      },
    });
    if (!result.ok) throw new Error(result.errors.join('; '));
    const report = evaluateFederation({
      snapshots: [
        { objects: result.objects as unknown as KubeObject[], gaps: [] },
      ],
      now: new Date(),
      federation: 'wide',
    });
    expect(
      report.reachability.filter(e => e.source.type === 'participant'),
    ).toHaveLength(300);
    expect(report.reachability.every(e => e.expected)).toBe(true);
    expect(report.results.find(r => r.ruleId === 'NET-04')?.status).toBe(
      'pass',
    );
  });
});
