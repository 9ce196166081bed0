import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * Starts the real portal backend the way `make start` does (same plugins,
 * same app-config.yaml, only the port changed) and talks to it over HTTP.
 */
const backendDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(backendDir, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string) {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('portal backend', () => {
  jest.setTimeout(240_000);

  let child: ChildProcess | undefined;
  let log = '';
  let tmpDir: string;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flsec-backend-'));
    const override = path.join(tmpDir, 'app-config.test.yaml');
    fs.writeFileSync(
      override,
      [
        'backend:',
        `  baseUrl: ${baseUrl}`,
        '  listen:',
        `    port: ${port}`,
        '    host: 127.0.0.1',
      ].join('\n'),
    );
    child = spawn(
      'yarn',
      [
        'backstage-cli',
        'package',
        'start',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        override,
      ],
      {
        cwd: backendDir,
        detached: true,
        env: { ...process.env, NODE_ENV: 'development' },
      },
    );
    child.stdout?.on('data', chunk => (log += chunk));
    child.stderr?.on('data', chunk => (log += chunk));
  });

  afterAll(async () => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise(resolve => child?.once('exit', resolve));
    }
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it('starts every plugin without errors and serves the catalog with auth', async () => {
    await waitFor(async () => {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    }, `backend readiness (log so far:\n${log})`);

    expect(log).toMatch(/Plugin initialization complete/);
    // No plugin may fail or log an error while starting.
    expect(log).not.toMatch(/\berror\b/i);

    const anonymous = await fetch(`${baseUrl}/api/catalog/entities/by-query`);
    expect(anonymous.status).toBe(401);

    const session = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(session.status).toBe(200);
    const token = (await session.json()).backstageIdentity.token as string;
    const auth = { Authorization: `Bearer ${token}` };

    // The example entities and the template are ingested asynchronously.
    const names = await waitFor(async () => {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=component,kind=template`,
        { headers: auth },
      );
      expect(res.status).toBe(200);
      const found = (await res.json()).items.map((e: any) => e.metadata.name);
      return found.includes('demo-federation') && found.length > 1
        ? (found as string[])
        : undefined;
    }, 'the example entities in the catalog');
    expect(names).toEqual(
      expect.arrayContaining(['demo-federation', 'secure-fl-project']),
    );

    const actions = await fetch(`${baseUrl}/api/scaffolder/v2/actions`, {
      headers: auth,
    });
    expect(actions.status).toBe(200);
    const ids = (await actions.json()).map((a: { id: string }) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'fetch:template',
        'fl-security:generate',
        'publish:github',
        'publish:gitlab',
        'catalog:register',
      ]),
    );

    const fleetAnonymous = await fetch(`${baseUrl}/api/fl-security/v1/reports`);
    expect(fleetAnonymous.status).toBe(401);
    const fleet = await fetch(`${baseUrl}/api/fl-security/v1/reports`, {
      headers: auth,
    });
    expect(fleet.status).toBe(200);

    // The notification list the portal shows (FL security notifies owners).
    const notifications = await fetch(
      `${baseUrl}/api/notifications/notifications`,
      { headers: auth },
    );
    expect(notifications.status).toBe(200);
  });

  it('serves the FL security actions over MCP to a signed-in user', async () => {
    await waitFor(async () => {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    }, `backend readiness (log so far:\n${log})`);
    const session = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const token = (await session.json()).backstageIdentity.token as string;

    const client = new Client({ name: 'startup-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${baseUrl}/api/mcp-actions/v1`),
        {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        },
      ),
    );
    try {
      const { tools } = await client.listTools();
      // backend.actions.pluginSources: only FL security's actions.
      expect(tools.map(tool => tool.name).sort()).toEqual([
        'fl-security.check-manifests',
        'fl-security.get-report',
      ]);
      // The example entity, as the entity tab sees it (its first view
      // scans; the cluster it names, fl-hub, is not configured here), then
      // as get-report does.
      const route = await fetch(
        `${baseUrl}/api/fl-security/v1/reports/component/default/demo-federation`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(route.status).toBe(200);
      const { report } = await route.json();
      const result = await client.callTool({
        name: 'fl-security.get-report',
        arguments: { entityRef: 'component:default/demo-federation' },
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        entityRef: 'component:default/demo-federation',
        state: 'scanned',
        overall: 'unknown',
        generatedAt: report.generatedAt,
        summary: report.summary,
        clusterErrors: report.errors,
      });
      expect(report.errors).toContainEqual({
        cluster: 'fl-hub',
        message:
          "cluster 'fl-hub' (backstage.io/kubernetes-cluster) is not configured",
      });
    } finally {
      await client.close();
    }

    const anonymous = await fetch(`${baseUrl}/api/mcp-actions/v1`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anonymous.status).toBe(401);
  });
});
