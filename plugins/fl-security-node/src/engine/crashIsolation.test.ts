/**
 * One object the model cannot read must not take the federation's report
 * with it: x509-limbo's rfc5280::san::malformed (a subjectAltName Node
 * cannot format) served as the aggregator's certificate.
 */
import { X509Certificate } from 'node:crypto';
import { evaluateFederations } from './evaluate';
import { secureFederation, withServedTlsCrt } from './__testUtils__/builders';
import { loadLimbo } from './x509/__testUtils__/limbo';

const malformedSan = loadLimbo().find(
  c => c.id === 'rfc5280::san::malformed',
)!.peer_certificate;

describe('crash isolation in the engine', () => {
  it('the fixture really is a certificate Node fails to format', () => {
    expect(() => new X509Certificate(malformedSan).subjectAltName).toThrow(
      /Failed to format subject alternative name/,
    );
  });

  it('keeps the report when a served certificate cannot be modelled', () => {
    const objects = withServedTlsCrt(secureFederation(), malformedSan);
    let reports: ReturnType<typeof evaluateFederations> = [];
    expect(() => {
      reports = evaluateFederations({
        snapshots: [{ objects, gaps: [] }],
        now: new Date(),
      });
    }).not.toThrow();
    const [report] = reports;
    // The rest of the report stands: network rules still pass.
    expect(
      report.results.filter(r => r.ruleId === 'NET-01' && r.status === 'pass')
        .length,
    ).toBeGreaterThan(0);
    // The certificate that could not be read is named, never silently dropped.
    const named = report.errors.filter(e =>
      e.message.includes('fl-agg/superlink-tls'),
    );
    expect(named).toHaveLength(1);
    expect(named[0].message).toMatch(/could not be read/);
    // The rule that needs the names says it could not evaluate them.
    const san = report.results.filter(r => r.ruleId === 'CERT-05');
    expect(san.map(r => [r.resource.name, r.status])).toEqual([
      ['superlink', 'error'],
    ]);
  });

  /** A copy of the object whose `spec` throws when read (a hostile object). */
  function hostile<T extends object>(object: T): T {
    const copy = { ...object };
    Object.defineProperty(copy, 'spec', {
      enumerable: true,
      get() {
        throw new Error('hostile spec');
      },
    });
    return copy;
  }

  it('keeps the report when a NetworkPolicy cannot be modelled, and its namespace cannot pass', () => {
    const objects = secureFederation().map(o =>
      o.kind === 'NetworkPolicy' && o.metadata.namespace === 'fl-agg'
        ? hostile(o)
        : o,
    );
    const [report] = evaluateFederations({
      snapshots: [{ objects, gaps: [] }],
      now: new Date(),
    });
    expect(report.errors.map(e => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^NetworkPolicy fl-agg .*could not be modelled \(hostile spec\)/,
        ),
      ]),
    );
    const net01 = report.results.filter(
      r => r.ruleId === 'NET-01' && r.resource.name === 'fl-agg',
    );
    expect(net01.map(r => r.status)).toEqual(['error']);
    // Participants' namespaces are still evaluated.
    expect(
      report.results.some(
        r =>
          r.ruleId === 'NET-01' &&
          r.resource.name !== 'fl-agg' &&
          r.status === 'pass',
      ),
    ).toBe(true);
  });

  it('keeps the report when a workload cannot be modelled, and names it', () => {
    const objects = secureFederation().map(o =>
      o.kind === 'Deployment' && o.metadata.name === 'superlink'
        ? hostile(o)
        : o,
    );
    let reports: ReturnType<typeof evaluateFederations> = [];
    expect(() => {
      reports = evaluateFederations({
        snapshots: [{ objects, gaps: [] }],
        now: new Date(),
      });
    }).not.toThrow();
    const messages = reports.flatMap(r => r.errors.map(e => e.message));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Deployment fl-agg superlink: could not be modelled \(hostile spec\)/,
        ),
      ]),
    );
  });
});
