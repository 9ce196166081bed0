/**
 * The federation spec every section uses: n participants, TLS passthrough
 * through ingress-nginx, one allowed external CIDR (the example federation's
 * shape, scaled).
 */
export function benchSpec(name: string, participants: number) {
  return {
    name,
    participants: Array.from({ length: participants }, (_, i) => ({
      name: `site-${String(i).padStart(4, '0')}`,
    })),
    network: {
      exposure: 'ingress-nginx',
      externalHost: `${name}.fl.example.com`,
      allowedCidrs: ['203.0.113.0/24'],
    },
  };
}
