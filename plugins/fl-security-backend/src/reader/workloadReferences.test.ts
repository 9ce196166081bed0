import { workloadReferences } from './workloadReferences';

describe('workloadReferences', () => {
  it('finds Secrets mounted where TLS flags point, in any flag form', () => {
    const refs = workloadReferences({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'agg', namespace: 'ns' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'superlink',
                command: [
                  'sh',
                  '-c',
                  'exec flower-superlink --ssl-certfile "/tls/server/tls.crt" --ssl-keyfile=/tls/server/tls.key',
                ],
                args: [
                  '--ssl-ca-certfile',
                  '/tls/ca.crt',
                  '--auth-list-public-keys=/keys/pub.csv',
                ],
                volumeMounts: [
                  { name: 'tls-root', mountPath: '/tls' },
                  { name: 'server', mountPath: '/tls/server/' },
                  { name: 'keys', mountPath: '/keys' },
                ],
              },
            ],
            volumes: [
              { name: 'server', secret: { secretName: 'server-tls' } },
              {
                name: 'tls-root',
                projected: {
                  sources: [
                    { secret: { name: 'ca-secret' } },
                    { configMap: { name: 'ca-bundle' } },
                  ],
                },
              },
              { name: 'keys', secret: { secretName: 'node-public-keys' } },
            ],
          },
        },
      },
    });
    expect(refs.tlsSecrets.sort()).toEqual(['ca-secret', 'server-tls']);
    expect(refs.configMaps).toEqual(['ca-bundle']);
  });

  it('collects ConfigMaps read into env and ignores non-workloads', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        containers: [
          {
            name: 'c',
            envFrom: [{ configMapRef: { name: 'settings' } }],
            env: [
              {
                name: 'X',
                valueFrom: { configMapKeyRef: { name: 'more', key: 'x' } },
              },
            ],
          },
        ],
      },
    };
    expect(workloadReferences(pod)).toEqual({
      tlsSecrets: [],
      configMaps: ['settings', 'more'],
    });
    expect(workloadReferences({ ...pod, kind: 'Service' })).toEqual({
      tlsSecrets: [],
      configMaps: [],
    });
  });
});
