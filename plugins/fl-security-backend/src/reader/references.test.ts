import { KubeObject } from './engineTypes';
import {
  clusterIssuerNames,
  configMapRefs,
  gatewayRefs,
  issuerKeySecretGaps,
  ReadObjects,
  secretRefs,
} from './references';

function objects(list: KubeObject[]): ReadObjects {
  return {
    all: () => list,
    ofKind: kind => list.filter(o => o.kind === kind),
    has: (kind, namespace, name) =>
      list.some(
        o =>
          o.kind === kind &&
          (o.metadata.namespace ?? '') === (namespace ?? '') &&
          o.metadata.name === name,
      ),
  };
}

const obj = (
  kind: string,
  namespace: string | undefined,
  name: string,
  body: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...body,
});

describe('reference following', () => {
  it('finds the Gateways of TLSRoutes, in their own or the named namespace', () => {
    const read = objects([
      obj('TLSRoute', 'fl', 'route', {
        spec: {
          parentRefs: [
            { name: 'gw' },
            { name: 'shared', namespace: 'gateway-system' },
            { kind: 'Service', name: 'not-a-gateway' },
            { namespace: 'x' },
          ],
        },
      }),
    ]);
    expect(gatewayRefs(read)).toEqual([
      { namespace: 'fl', name: 'gw' },
      { namespace: 'gateway-system', name: 'shared' },
    ]);
  });

  it('finds TLS Secrets of Ingresses, Certificates and Gateway listeners once each', () => {
    const read = objects([
      obj('Ingress', 'fl', 'ing', {
        spec: { tls: [{ secretName: 'ing-tls' }, { secretName: 'ing-tls' }] },
      }),
      obj('Certificate', 'fl', 'cert', { spec: { secretName: 'agg-tls' } }),
      obj('Gateway', 'gw-ns', 'gw', {
        spec: {
          listeners: [
            {
              tls: {
                certificateRefs: [
                  { name: 'gw-tls' },
                  { name: 'elsewhere', namespace: 'other' },
                  { name: 'not-a-secret', kind: 'ConfigMap' },
                ],
              },
            },
          ],
        },
      }),
    ]);
    expect(secretRefs(read)).toEqual([
      { namespace: 'fl', name: 'ing-tls' },
      { namespace: 'fl', name: 'agg-tls' },
      { namespace: 'gw-ns', name: 'gw-tls' },
      { namespace: 'other', name: 'elsewhere' },
    ]);
  });

  it('names ClusterIssuers of Certificates and ConfigMaps of workloads', () => {
    const read = objects([
      obj('Certificate', 'fl', 'a', {
        spec: { issuerRef: { kind: 'ClusterIssuer', name: 'ca' } },
      }),
      obj('Certificate', 'fl', 'b', {
        spec: { issuerRef: { kind: 'Issuer', name: 'local' } },
      }),
      obj('Deployment', 'fl', 'd', {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'c', envFrom: [{ configMapRef: { name: 'env' } }] },
              ],
            },
          },
        },
      }),
    ]);
    expect(clusterIssuerNames(read)).toEqual(['ca']);
    expect(configMapRefs(read)).toEqual([{ namespace: 'fl', name: 'env' }]);
  });

  it('explains the CA key Secrets it never reads', () => {
    const read = objects([
      obj('ClusterIssuer', undefined, 'ca', {
        spec: { ca: { secretName: 'ca-key' } },
      }),
      obj('Issuer', 'fl', 'local', {
        spec: { ca: { secretName: 'local-key' } },
      }),
    ]);
    expect(
      issuerKeySecretGaps(read).map(
        g => `${g.status} ${g.namespace}/${g.name}`,
      ),
    ).toEqual(['skip fl/local-key', 'skip cert-manager/ca-key']);
  });
});
