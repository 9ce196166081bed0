import { TEST_CA_BASE64, TEST_CA_PEM } from './__testUtils__/caCertificates';
import { parseFederationSpec, validateFederationSpec } from './spec';
import { checkCaCertificate, checkExternalAddress } from './specFormats';

const toBase64 = (text: string) => btoa(text);

/** Aggregator in `hub`, two sites in their own clusters, one in the hub. */
const crossSilo = {
  name: 'silo',
  aggregator: { cluster: 'hub' },
  participants: [
    { name: 'hospital-a', cluster: 'hospital-a' },
    { name: 'hospital-b', cluster: 'hospital-b', caDistribution: 'trust-manager' },
    { name: 'local' },
  ],
  tls: { caBundle: [TEST_CA_BASE64] },
  network: {
    exposure: 'ingress-nginx',
    externalHost: 'fl.example.com',
    externalAddresses: ['198.51.100.10/32', '198.51.100.0/28'],
  },
};

function errorsOf(input: unknown): string[] {
  const result = validateFederationSpec(input);
  return result.ok ? [] : result.errors;
}

describe('federation spec: clusters', () => {
  it('leaves a single unnamed cluster exactly as before (no cluster fields)', () => {
    const spec = parseFederationSpec({ name: 'demo', participants: [{ name: 'a' }] });
    expect(spec.aggregator).toEqual({ namespace: 'demo-aggregator', port: 9092, stateStorage: { size: '1Gi' } });
    expect(spec.participants).toEqual([{ name: 'a', namespace: 'demo-a' }]);
    expect(Object.keys(spec.network)).not.toContain('externalPort');
    expect(Object.keys(spec.tls)).not.toContain('caBundle');
  });

  it('names every cluster once the aggregator names its own; sites elsewhere get a CA distribution and port 443', () => {
    const spec = parseFederationSpec(crossSilo);
    expect(spec.aggregator.cluster).toBe('hub');
    expect(spec.participants).toEqual([
      { name: 'hospital-a', namespace: 'silo-hospital-a', cluster: 'hospital-a', caDistribution: 'configmap' },
      { name: 'hospital-b', namespace: 'silo-hospital-b', cluster: 'hospital-b', caDistribution: 'trust-manager' },
      { name: 'local', namespace: 'silo-local', cluster: 'hub' },
    ]);
    expect(spec.network.externalAddresses).toEqual(['198.51.100.0/28', '198.51.100.10/32']);
    expect(spec.network.externalPort).toBe(443);
    expect(spec.tls.caBundle).toEqual([TEST_CA_BASE64]);
    // Idempotent: the normalized spec is a valid spec of itself.
    expect(parseFederationSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  it('keeps a named single cluster single (nothing cross-cluster is allowed)', () => {
    const spec = parseFederationSpec({ name: 'demo', aggregator: { cluster: 'prod' }, participants: [{ name: 'a', cluster: 'prod' }] });
    expect(spec.participants).toEqual([{ name: 'a', namespace: 'demo-a', cluster: 'prod' }]);
    expect(errorsOf({ name: 'demo', aggregator: { cluster: 'prod' }, participants: [{ name: 'a' }], network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com', externalAddresses: ['198.51.100.10/32'], externalPort: 8443 }, tls: { caBundle: [TEST_CA_BASE64] } })).toEqual([
      'network.externalAddresses: is only allowed when a participant runs in another cluster than the aggregator',
      'network.externalPort: is only allowed when a participant runs in another cluster than the aggregator',
      'tls.caBundle: is only allowed when a participant runs in another cluster than the aggregator',
    ]);
  });

  it.each([
    [{ aggregator: {}, participants: [{ name: 'a', cluster: 'site' }] }, "participants[0].cluster: needs aggregator.cluster: name the aggregator's cluster too"],
    [{ network: { exposure: 'none' } }, 'network.exposure: must be ingress-nginx or gateway-api when a participant runs in another cluster (sites reach the aggregator through its external host)'],
    [{ network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com' } }, "network.externalAddresses: is required when a participant runs in another cluster: the sites' egress allows only these addresses"],
    [{ mesh: 'istio', network: { exposure: 'gateway-api', externalHost: 'fl.example.com', gateway: { name: 'g', namespace: 'gw' }, externalAddresses: ['198.51.100.10/32'] } }, 'mesh: istio is not supported when a participant runs in another cluster (no multi-cluster mesh)'],
    [{ participants: [{ name: 'a', cluster: 'site' }, { name: 'b', cluster: 'site', caDistribution: 'trust-manager' }] }, 'participants[1].caDistribution: must match participants[0] (same cluster "site"): configmap'],
    [{ participants: [{ name: 'a', cluster: 'site' }, { name: 'b', caDistribution: 'configmap' }] }, 'participants[1].caDistribution: is only allowed for a participant in another cluster than the aggregator'],
    [{ tls: { caBundle: [TEST_CA_BASE64, TEST_CA_BASE64] } }, 'tls.caBundle[1]: duplicates tls.caBundle[0]'],
  ])('rejects an inconsistent cross-cluster spec: %j', (override, error) => {
    const input = {
      ...crossSilo,
      ...override,
      participants: (override as { participants?: unknown }).participants ?? [{ name: 'a', cluster: 'site' }],
    };
    expect(errorsOf(input)).toContain(error);
  });

  it.each([
    // Anything that would change YAML structure or is not a DNS-1123 label.
    ['aggregator', { aggregator: { cluster: 'hub: evil' } }, 'aggregator.cluster'],
    ['newline', { aggregator: { cluster: 'hub\nkind: Secret' } }, 'aggregator.cluster'],
    ['uppercase', { aggregator: { cluster: 'Hub' } }, 'aggregator.cluster'],
    ['dots', { aggregator: { cluster: 'hub.example.com' } }, 'aggregator.cluster'],
    ['path', { participants: [{ name: 'a', cluster: '../hub' }] }, 'participants[0].cluster'],
    ['too long', { participants: [{ name: 'a', cluster: 'a'.repeat(64) }] }, 'participants[0].cluster'],
    ['unknown distribution', { participants: [{ name: 'a', cluster: 'site', caDistribution: 'secret' }] }, 'participants[0].caDistribution'],
    ['every address', { network: { ...crossSilo.network, externalAddresses: ['0.0.0.0/0'] } }, 'network.externalAddresses[0]'],
    ['host bits', { network: { ...crossSilo.network, externalAddresses: ['198.51.100.10/24'] } }, 'network.externalAddresses[0]'],
    ['wider than an entry (IPv4 /23)', { network: { ...crossSilo.network, externalAddresses: ['198.51.100.0/23'] } }, 'network.externalAddresses[0]'],
    ['wider than an entry (IPv6 /64)', { network: { ...crossSilo.network, externalAddresses: ['2001:db8::/64'] } }, 'network.externalAddresses[0]'],
    ['flow sequence', { network: { ...crossSilo.network, externalAddresses: ['[198.51.100.0/24]'] } }, 'network.externalAddresses[0]'],
    ['empty list', { network: { ...crossSilo.network, externalAddresses: [] } }, 'network.externalAddresses'],
    ['port', { network: { ...crossSilo.network, externalPort: 70000 } }, 'network.externalPort'],
    ['pem, not base64', { tls: { caBundle: [TEST_CA_PEM] } }, 'tls.caBundle[0]'],
  ])('rejects a malformed field (%s)', (_label, override, path) => {
    const errors = errorsOf({ ...crossSilo, ...override });
    expect(errors.some(error => error.startsWith(`${path}: `))).toBe(true);
  });

  it('bounds an external entry range at 256 addresses (a /24 or /120), the edge included', () => {
    expect(checkExternalAddress('198.51.100.0/24')).toBeUndefined();
    expect(checkExternalAddress('2001:db8::/120')).toBeUndefined();
    expect(checkExternalAddress('198.51.100.10/32')).toBeUndefined();
    expect(checkExternalAddress('198.51.100.0/23')).toMatch(/^must hold at most 256 addresses \(a \/24 or longer\)/);
    expect(checkExternalAddress('2001:db8::/119')).toMatch(/\(a \/120 or longer\)/);
    expect(checkExternalAddress('0.0.0.0/0')).toBe('must not allow every address (/0)');
  });

  it('accepts one PEM CA certificate per entry and nothing else', () => {
    expect(checkCaCertificate(TEST_CA_BASE64)).toBeUndefined();
    expect(checkCaCertificate(toBase64(`${TEST_CA_PEM}${TEST_CA_PEM}`))).toMatch(/exactly one PEM CERTIFICATE/);
    expect(checkCaCertificate(toBase64('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n'))).toBe(
      'must not contain a private key',
    );
    expect(checkCaCertificate(toBase64('-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n'))).toBe(
      'must contain a DER-encoded certificate',
    );
    expect(checkCaCertificate(toBase64('hello'))).toMatch(/exactly one PEM CERTIFICATE/);
    expect(checkCaCertificate(`${TEST_CA_BASE64}\n`)).toMatch(/base64 of a PEM certificate/);
    expect(checkCaCertificate('x'.repeat(20000))).toMatch(/at most/);
  });
});
