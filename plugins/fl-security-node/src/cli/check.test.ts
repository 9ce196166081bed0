import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  SERVER_DNS,
  AGG_NS,
  federationPki,
  ingress,
  networkPolicy,
  replace,
  secureFederation,
  superlink,
  supernode,
  tlsSecret,
  without,
  withServedTlsCrt,
  EXTERNAL_HOST,
} from '../engine/__testUtils__/builders';
import { KeySpec, issueCertificate } from '../engine/__testUtils__/certs';
import type { KubeObject } from '../engine';
import { main } from './main';

async function runCli(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: any) => {
      stdout.push(String(chunk));
      return true;
    });
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: any) => {
      stderr.push(String(chunk));
      return true;
    });
  try {
    const code = await main(['node', 'fl-security', ...args]);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const multiDoc = (objects: KubeObject[]) =>
  objects.map(o => stringify(o)).join('---\n');

function serverSecret(options: {
  dnsNames?: string[];
  key?: KeySpec;
  hash?: 'sha1' | 'sha256';
}) {
  const { ca } = federationPki();
  const cert = issueCertificate({
    commonName: 'superlink',
    dnsNames: options.dnsNames ?? SERVER_DNS,
    extendedKeyUsage: ['serverAuth'],
    issuer: ca,
    key: options.key,
    hash: options.hash,
  });
  return tlsSecret(AGG_NS, 'superlink-tls', {
    crt: cert.certPem,
    key: cert.keyPem,
    ca: ca.certPem,
  });
}

const terminatingIngress = ingress(
  { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' },
  {
    rules: [
      {
        host: EXTERNAL_HOST,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: {
                service: { name: 'superlink', port: { number: 9092 } },
              },
            },
          ],
        },
      },
    ],
    tls: [{ hosts: [EXTERNAL_HOST], secretName: 'superlink-tls' }],
  },
);

/** Known-bad variants of the secure federation and the rule each must fail. */
const KNOWN_BAD: Array<[string, string, () => KubeObject[]]> = [
  [
    'an Ingress terminating TLS',
    'ING-05',
    () =>
      replace(
        secureFederation(),
        'Ingress',
        AGG_NS,
        'superlink',
        terminatingIngress,
      ),
  ],
  [
    'an allow-all policy',
    'NET-03',
    () => [
      ...secureFederation(),
      networkPolicy(AGG_NS, 'allow-all', { podSelector: {}, ingress: [{}] }),
    ],
  ],
  [
    'a missing default-deny',
    'NET-01',
    () =>
      without(
        without(secureFederation(), 'NetworkPolicy', 'site-a', 'default-deny'),
        'NetworkPolicy',
        'site-a',
        'allow-dns',
      ),
  ],
  [
    'a SAN mismatch',
    'CERT-05',
    () =>
      replace(
        secureFederation(),
        'Secret',
        AGG_NS,
        'superlink-tls',
        serverSecret({ dnsNames: ['superlink.example.net'] }),
      ),
  ],
  [
    'a SHA-1 certificate',
    'CERT-04',
    () =>
      replace(
        secureFederation(),
        'Secret',
        AGG_NS,
        'superlink-tls',
        serverSecret({ hash: 'sha1', key: 'rsa-2048' }),
      ),
  ],
  [
    'an RSA-1024 certificate',
    'CERT-03',
    () =>
      replace(
        secureFederation(),
        'Secret',
        AGG_NS,
        'superlink-tls',
        serverSecret({ key: 'rsa-1024' }),
      ),
  ],
  [
    '--insecure Flower args',
    'FL-01',
    () =>
      replace(
        secureFederation(),
        'Deployment',
        'site-b',
        'supernode',
        supernode('site-b', {
          args: ['--insecure', '--superlink', 'superlink.fl-agg.svc:9092'],
        }),
      ),
  ],
];

describe('fl-security check', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flsec-check-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, text: string) {
    const path = join(dir, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    return path;
  }

  it('passes the secure federation (exit 0) and prints the JSON shape of the issue', async () => {
    await write('deploy/all.yaml', multiDoc(secureFederation()));
    const result = await runCli(['check', dir, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(Object.keys(body)).toEqual(['results', 'summary']);
    expect(Object.keys(body.summary)).toEqual([
      'pass',
      'warn',
      'fail',
      'error',
      'skip',
    ]);
    expect(body.summary.fail).toBe(0);
    const namespaceResult = body.results.find(
      (r: any) => r.resource.kind === 'Namespace',
    );
    expect(namespaceResult.resource.namespace).toBeNull();
    for (const r of body.results) {
      expect(Object.keys(r)).toEqual([
        'ruleId',
        'status',
        'severity',
        'resource',
        'message',
        'remediation',
      ]);
      expect(Object.keys(r.resource)).toEqual(['kind', 'namespace', 'name']);
    }
  });

  it.each(KNOWN_BAD)(
    'fails %s with %s (exit 1)',
    async (_name, ruleId, objects) => {
      await write('deploy.yaml', multiDoc(objects()));
      const result = await runCli([
        'check',
        join(dir, 'deploy.yaml'),
        '--format',
        'json',
      ]);
      expect(result.code).toBe(1);
      const failed = JSON.parse(result.stdout)
        .results.filter((r: any) => r.status === 'fail')
        .map((r: any) => r.ruleId);
      expect(failed).toContain(ruleId);
    },
  );

  describe('--fail-on (CI gates)', () => {
    const unreadable = () =>
      withServedTlsCrt(secureFederation(), 'not a certificate');

    it('exits 1 by default when certificate rules could not evaluate (no fail)', async () => {
      await write('deploy.yaml', multiDoc(unreadable()));
      const result = await runCli([
        'check',
        join(dir, 'deploy.yaml'),
        '--format',
        'json',
      ]);
      const body = JSON.parse(result.stdout);
      expect(body.summary.error).toBeGreaterThan(0);
      expect(
        body.results.filter(
          (r: any) => r.status === 'fail' && r.ruleId.startsWith('CERT'),
        ),
      ).toEqual([]);
      expect(result.code).toBe(1);
    });

    it('lets --fail-on fail ignore what could not be evaluated', async () => {
      await write('deploy.yaml', multiDoc(unreadable()));
      const result = await runCli([
        'check',
        join(dir, 'deploy.yaml'),
        '--fail-on',
        'fail',
      ]);
      expect(result.stdout).toMatch(/ERROR/);
      expect(result.stdout).not.toMatch(/^FAIL /m);
      expect(result.code).toBe(0);
    });

    it('exits 1 on warnings only with --fail-on warn', async () => {
      await write('deploy.yaml', multiDoc(secureFederation()));
      const args = [
        'check',
        join(dir, 'deploy.yaml'),
        '--expiry-warn-days',
        '36500',
        '--format',
        'json',
      ];
      const lax = await runCli(args);
      expect(JSON.parse(lax.stdout).summary.warn).toBeGreaterThan(0);
      expect(lax.code).toBe(0);
      const strict = await runCli([...args, '--fail-on', 'warn']);
      expect(strict.code).toBe(1);
    });

    it('rejects an unknown level with exit 2', async () => {
      await write('deploy.yaml', multiDoc(secureFederation()));
      const result = await runCli([
        'check',
        join(dir, 'deploy.yaml'),
        '--fail-on',
        'never',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--fail-on/);
    });
  });

  it('fails the public-tutorial style manifests in text format', async () => {
    const result = await runCli([
      'check',
      join(__dirname, '__fixtures__', 'flower-tutorial-insecure.yaml'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAIL {2}FL-01 {3}Deployment flower\/superlink \(.*flower-tutorial-insecure.yaml:9\)/,
    );
    expect(result.stdout).toMatch(
      /FAIL {2}FL-03 .*\n.*port 9091 exposes internal API/,
    );
    expect(result.stdout).toMatch(
      /^Total: 3 pass, 2 warn, 13 fail, 0 error, 9 skip$/m,
    );
  });

  it('reads JSON, List kinds and directories, skipping kustomization and non-Kubernetes documents', async () => {
    const objects = secureFederation();
    await write(
      'a/list.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: objects.slice(0, 10),
      }),
    );
    await write(
      'a/b/rest.yml',
      `# values\nreplicas: 3\n---\n${multiDoc(objects.slice(10))}`,
    );
    await write('a/kustomization.yaml', 'resources: [broken: yaml: {\n');
    await write('a/notes.txt', 'not yaml: [');
    const result = await runCli(['check', join(dir, 'a')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Federation fed: \d+ pass, 0 warn, 0 fail/);
  });

  it('writes SARIF 2.1.0 with the manifest file and line of each finding', async () => {
    const objects = without(
      without(secureFederation(), 'NetworkPolicy', 'site-a', 'default-deny'),
      'NetworkPolicy',
      'site-a',
      'allow-dns',
    );
    const path = await write('deploy.yaml', multiDoc(objects));
    const result = await runCli(['check', path, '--format', 'sarif']);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules).toHaveLength(24);
    const net01 = run.results.find((r: any) => r.ruleId === 'NET-01');
    expect(net01.level).toBe('error');
    const location = net01.locations[0].physicalLocation;
    // The Namespace site-a is the third document; its first line is its apiVersion.
    const text = multiDoc(objects).split('\n');
    expect(text[location.region.startLine - 1]).toBe('apiVersion: v1');
    expect(text[location.region.startLine]).toBe('kind: Namespace');
    expect(text[location.region.startLine + 2]).toMatch(/name: site-a/);
    expect(location.artifactLocation.uri).toMatch(/deploy\.yaml$/);
    expect(
      run.results.every((r: any) => ['error', 'warning'].includes(r.level)),
    ).toBe(true);
  });

  it('evaluates certificates at --now with configurable thresholds', async () => {
    const path = await write('deploy.yaml', multiDoc(secureFederation()));
    const in80Days = new Date(Date.now() + 80 * 86_400_000).toISOString();
    expect((await runCli(['check', path, '--now', in80Days])).code).toBe(1);
    expect(
      (
        await runCli([
          'check',
          path,
          '--now',
          in80Days,
          '--expiry-fail-days',
          '5',
          '--expiry-warn-days',
          '10',
        ])
      ).code,
    ).toBe(0);
  });

  it.each([
    [['--format', 'xml'], /argument 'xml' is invalid/],
    [['--now', 'yesterday'], /--now must be an ISO-8601 date/],
    [['--expiry-warn-days', '-3'], /--expiry-warn-days must be a whole number/],
    [
      ['--expiry-fail-days', '40'],
      /--expiry-fail-days must not exceed --expiry-warn-days/,
    ],
  ])('rejects bad usage %j with exit 2', async (args, message) => {
    const path = await write('deploy.yaml', multiDoc(secureFederation()));
    const result = await runCli(['check', path, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 on unreadable input with a clear line', async () => {
    const missing = await runCli(['check', join(dir, 'nope.yaml')]);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/cannot read .*nope.yaml: ENOENT/),
    });
    const broken = await write(
      'broken.yaml',
      'apiVersion: v1\nkind: [unclosed\n',
    );
    expect((await runCli(['check', broken])).stderr).toMatch(
      /broken.yaml:\d+:\d+: invalid YAML\/JSON/,
    );
    const empty = await write(
      'other.yaml',
      multiDoc([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      ]),
    );
    const none = await runCli(['check', empty]);
    expect(none).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no federated-learning workload in 1 file/),
    });
    expect((await runCli(['check'])).code).toBe(2);
  });

  it('never prints private keys', async () => {
    const path = await write(
      'deploy.yaml',
      multiDoc(
        replace(
          secureFederation(),
          'Secret',
          AGG_NS,
          'superlink-tls',
          serverSecret({ key: 'rsa-1024' }),
        ),
      ),
    );
    for (const format of ['text', 'json', 'sarif']) {
      const result = await runCli(['check', path, '--format', format]);
      expect(result.stdout).not.toMatch(/PRIVATE KEY|MII/);
    }
  });

  it('recognises the aggregator without labels by its Flower image', async () => {
    const unlabelled = superlink({ labels: {} });
    const path = await write('x.yaml', multiDoc([unlabelled]));
    const result = await runCli(['check', path, '--format', 'json']);
    expect(
      JSON.parse(result.stdout).results.some(
        (r: any) => r.ruleId === 'FL-01' && r.status === 'pass',
      ),
    ).toBe(true);
  });
});
