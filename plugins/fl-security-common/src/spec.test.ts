import {
  DEFAULT_FLEET_GATEWAY_IMAGE,
  DEFAULT_SUPERLINK_IMAGE,
  DEFAULT_SUPERNODE_IMAGE,
  FederationSpecError,
  FLOWER_VERSION,
  formatSpecPath,
  parseFederationSpec,
  validateFederationSpec,
} from './spec';

describe('federation spec', () => {
  it('applies defaults and sorts participants', () => {
    const spec = parseFederationSpec({ name: 'demo', participants: [{ name: 'b' }, { name: 'a', namespace: 'site-a' }] });
    expect(FLOWER_VERSION).toBe('1.42.0');
    expect(spec.images.superlink).toBe(DEFAULT_SUPERLINK_IMAGE);
    expect(spec.aggregator).toEqual({ namespace: 'demo-aggregator', port: 9092, stateStorage: { size: '1Gi' } });
    expect(spec.participants).toEqual([
      { name: 'a', namespace: 'site-a' },
      { name: 'b', namespace: 'demo-b' },
    ]);
    expect(spec.tls).toMatchObject({ provider: 'cert-manager-ca', keyAlgorithm: 'ECDSA', keySize: 256, duration: '2160h', renewBefore: '720h' });
    expect(spec.portal.serviceAccount).toEqual({ namespace: 'backstage', name: 'backstage' });
  });

  it('is idempotent: a normalized spec normalizes to itself', () => {
    const spec = parseFederationSpec({
      name: 'demo',
      participants: [{ name: 'x' }],
      network: { exposure: 'gateway-api', externalHost: 'fl.example.com', gateway: { name: 'gw', namespace: 'infra' }, allowedCidrs: ['10.1.0.0/16', '10.0.0.0/16', '10.0.0.0/16'] },
    });
    expect(spec.network.allowedCidrs).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    expect(parseFederationSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  it('reports every field problem, one line each, sorted', () => {
    const result = validateFederationSpec({ name: 'A', participants: 'x', tls: 5, extra: 1 });
    expect(result).toEqual({
      ok: false,
      errors: [
        'extra: unknown field',
        'name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
        'participants: must be a list',
        'tls: must be a mapping',
      ],
    });
  });

  it.each([
    [{ tls: { provider: 'cert-manager-issuer' } }, 'tls.issuer: is required when tls.provider is cert-manager-issuer'],
    [{ tls: { provider: 'vault-agent', vault: { server: 'https://v.example.com', role: 'r', authRole: 'a' } } }, 'tls.vault.egress: must name the Vault namespace or CIDRs: the agent sidecar needs an egress rule'],
    [{ tls: { provider: 'vault-pki-secret' } }, 'tls.vault: is required when tls.provider is vault-pki-secret'],
    [{ tls: { vault: { server: 'https://v.example.com', role: 'r', authRole: 'a' } } }, 'tls.vault: is only allowed when tls.provider is a Vault provider'],
    [{ network: { exposure: 'gateway-api', externalHost: 'fl.example.com' } }, 'network.gateway: is required when network.exposure is gateway-api'],
    [{ network: { externalHost: 'fl.example.com' } }, 'network.externalHost: is only allowed when network.exposure is ingress-nginx or gateway-api'],
    [{ tls: { keySize: 2048 } }, 'tls.keySize: must be one of 256, 384, 521 for ECDSA'],
    [{ tls: { renewBefore: '1m' } }, 'tls.renewBefore: must be at least 5m'],
    [{ aggregator: { namespace: 'a'.repeat(51) } }, 'aggregator.namespace: must be at most 50 characters'],
    [{ portal: { serviceAccount: { namespace: 'platform' } }, aggregator: { namespace: 'platform' } }, 'aggregator.namespace: must be a dedicated namespace, not "platform"'],
    [{ aggregator: { port: 9091 } }, "aggregator.port: must not be 9091 (the SuperLink's own port inside the pod)"],
    [{ network: { adminNamespace: 'fl-admin' } }, 'network.adminNamespace: is no longer supported: the Control API listens on 127.0.0.1 in the aggregator pod only; operators reach it with kubectl port-forward'],
  ])('rejects cross-field problems %#', (patch, expected) => {
    const result = validateFederationSpec({ name: 'demo', participants: [{ name: 'a' }], ...patch });
    expect(result).toEqual({ ok: false, errors: [expected] });
  });

  describe('image digests', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const base = { name: 'demo', participants: [{ name: 'a' }] };

    it('keeps the digests next to the images and normalizes to itself', () => {
      const spec = parseFederationSpec({ ...base, images: { digests: { superlink: digest, fleetGateway: digest } } });
      expect(spec.images).toEqual({
        superlink: DEFAULT_SUPERLINK_IMAGE,
        supernode: DEFAULT_SUPERNODE_IMAGE,
        fleetGateway: DEFAULT_FLEET_GATEWAY_IMAGE,
        digests: { superlink: digest, fleetGateway: digest },
      });
      expect(parseFederationSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    });

    it('leaves an empty digests mapping out', () => {
      expect(parseFederationSpec({ ...base, images: { digests: {} } }).images).not.toHaveProperty('digests');
    });

    it.each([
      [{ superlink: 'sha256:abc' }, 'images.digests.superlink: must be a digest: sha256: followed by 64 lowercase hex digits'],
      [{ supernode: digest.toUpperCase() }, 'images.digests.supernode: must be a digest: sha256: followed by 64 lowercase hex digits'],
      [{ fleetGateway: `haproxy@${digest}` }, 'images.digests.fleetGateway: must be a digest: sha256: followed by 64 lowercase hex digits'],
      [{ superlink: `${digest}\nimage: evil` }, 'images.digests.superlink: must be a digest: sha256: followed by 64 lowercase hex digits'],
      [{ superlink: 5 }, 'images.digests.superlink: must be a string'],
      [{ sidecar: digest }, 'images.digests.sidecar: unknown field'],
    ])('rejects what is not a digest %#', (digests, expected) => {
      expect(validateFederationSpec({ ...base, images: { digests } })).toEqual({ ok: false, errors: [expected] });
    });

    it('rejects a second digest for an image that names one', () => {
      const result = validateFederationSpec({
        ...base,
        images: { supernode: `flwr/supernode@sha256:${'d'.repeat(64)}`, digests: { supernode: digest } },
      });
      expect(result).toEqual({
        ok: false,
        errors: ['images.digests.supernode: must not be set when images.supernode already names a digest'],
      });
    });
  });

  it('throws a FederationSpecError listing the problems', () => {
    expect(() => parseFederationSpec(null)).toThrow(FederationSpecError);
    expect(() => parseFederationSpec([])).toThrow('spec: must be a mapping');
  });

  it('formats paths', () => {
    expect(formatSpecPath(['participants', 3, 'name'])).toBe('participants[3].name');
    expect(formatSpecPath([])).toBe('spec');
  });
});
