import {
  AGG_NS,
  evaluate,
  replace,
  resultFor,
  secureFederation,
  superlink,
} from '../__testUtils__/builders';
import type { KubeObject } from '../types';

const rule = 'SEC-01';
const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

function withEnv(
  env: Array<Record<string, unknown>>,
  extra: KubeObject[] = [],
) {
  return evaluate([
    ...replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({ env }),
    ),
    ...extra,
  ]);
}

describe('SEC-01 secret literals', () => {
  it('passes plain configuration', () => {
    expect(
      resultFor(
        withEnv([{ name: 'FLWR_TELEMETRY_ENABLED', value: '0' }]),
        rule,
        'superlink',
      ).status,
    ).toBe('pass');
  });

  it('fails literal secrets by name or by shape, without echoing them', () => {
    const byName = resultFor(
      withEnv([{ name: 'DB_PASSWORD', value: 'hunter2' }]),
      rule,
      'superlink',
    );
    expect(byName.status).toBe('fail');
    expect(byName.message).toMatch(/env DB_PASSWORD is a literal secret/);
    expect(byName.message).not.toMatch(/hunter2/);
    const byShape = resultFor(
      withEnv([{ name: 'GH', value: token }]),
      rule,
      'superlink',
    );
    expect(byShape.status).toBe('fail');
    expect(JSON.stringify(byShape)).not.toContain(token);
  });

  it('warns on env taken from Secrets', () => {
    expect(
      resultFor(
        withEnv([
          {
            name: 'API_TOKEN',
            valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
          },
        ]),
        rule,
        'superlink',
      ).status,
    ).toBe('warn');
  });

  it('fails ConfigMaps read by FL pods that hold secrets', () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: AGG_NS },
      data: {
        'key.pem':
          '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
        mode: 'train',
      },
    };
    const result = resultFor(
      withEnv(
        [
          {
            name: 'MODE',
            valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } },
          },
        ],
        [configMap],
      ),
      rule,
      'superlink',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /ConfigMap settings holds secret-looking key\(s\) key.pem/,
    );
    expect(result.message).not.toMatch(/BEGIN/);
  });
});
