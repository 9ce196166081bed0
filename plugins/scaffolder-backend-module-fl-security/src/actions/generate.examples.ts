/**
 * Examples of `fl-security:generate`, shown in the scaffolder's action list
 * (/create/actions) and run by generate.examples.test.ts.
 */
import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

function step(input: Record<string, unknown>) {
  return stringify({
    steps: [
      {
        id: 'generate',
        action: 'fl-security:generate',
        name: 'Generate the secured federation',
        input,
      },
    ],
  });
}

export const examples: TemplateExample[] = [
  {
    description: 'Generate a two-site federation into the workspace root',
    example: step({
      spec: {
        name: 'demo',
        participants: [{ name: 'site-a' }, { name: 'site-b' }],
      },
    }),
  },
  {
    description:
      'Expose the aggregator through ingress-nginx (TLS passthrough) and write into a sub-directory',
    example: step({
      spec: {
        name: 'hospitals',
        participants: [{ name: 'hospital-a' }, { name: 'hospital-b' }],
        network: {
          exposure: 'ingress-nginx',
          externalHost: 'fl.example.com',
          allowedCidrs: ['203.0.113.0/24'],
        },
      },
      targetPath: 'infra',
    }),
  },
  {
    description:
      'Issue certificates from Vault through cert-manager, expose a TLSRoute on a Gateway, require Istio STRICT mTLS',
    example: step({
      spec: {
        name: 'meshed',
        participants: [{ name: 'a' }, { name: 'b', namespace: 'site-b' }],
        tls: {
          provider: 'cert-manager-vault',
          vault: {
            server: 'https://vault.example.com:8200',
            role: 'fl-federation',
            authRole: 'cert-manager',
          },
        },
        network: {
          exposure: 'gateway-api',
          externalHost: 'fl.example.org',
          gateway: { name: 'edge', namespace: 'gateway-system' },
        },
        mesh: 'istio',
      },
    }),
  },
  {
    description:
      'Regenerate over an edited project: replace files whose content differs',
    example: step({
      spec: { name: 'demo', participants: [{ name: 'site-a' }] },
      overwrite: true,
    }),
  },
];
