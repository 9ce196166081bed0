/**
 * The federation spec every section uses: n participants, TLS passthrough
 * through ingress-nginx, one allowed external CIDR (the example federation's
 * shape, scaled). Images are pinned by placeholder digests: the bench never
 * pulls them, and IMG-01 (which checks the form) should pass like every rule.
 */
export function benchSpec(name: string, participants: number) {
  return {
    name,
    participants: Array.from({ length: participants }, (_, i) => ({
      name: `site-${String(i).padStart(4, '0')}`,
    })),
    images: {
      digests: {
        superlink: `sha256:${'a1'.repeat(32)}`,
        supernode: `sha256:${'b2'.repeat(32)}`,
        fleetGateway: `sha256:${'c3'.repeat(32)}`,
      },
    },
    network: {
      exposure: 'ingress-nginx',
      externalHost: `${name}.fl.example.com`,
      allowedCidrs: ['203.0.113.0/24'],
    },
  };
}
