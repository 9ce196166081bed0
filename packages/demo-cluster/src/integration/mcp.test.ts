/**
 * Issue 17: assistants ask "is federation X compliant?" through MCP, under
 * the caller's permissions. The portal's backend with the real catalog, the
 * real permission backend (owners-only policy), the FL security backend
 * reading the example federation from a real API server, and the MCP
 * actions backend; an MCP client (the SDK's, over streamable HTTP) lists
 * the tools and calls get-report as an owner and as another user.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityReportResponse } from '@fl-security/plugin-fl-security-common';
import {
  applyManifests,
  startTestCluster,
  TestCluster,
} from '@fl-security/test-cluster';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { allowAllDebugPolicy } from '../demo/demoViolation';
import { seedFederation } from '../seedFederation';
import { exampleEntity, exampleSpec } from './__testUtils__/federations';
import {
  startTenancyPortal,
  TenancyPortal,
} from './__testUtils__/tenancyPortal';

jest.setTimeout(240_000);

const OWNERS = 'group:default/ml-platform';
const alice = 'user:default/alice';
const bob = 'user:default/bob';
const ENTITY_REF = 'component:default/demo-federation';

/** An MCP client of the portal's MCP server, signed in as `user`. */
async function mcpClientAs(portal: TenancyPortal, user: string) {
  const client = new Client({ name: 'fl-security-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${portal.baseUrl}/api/mcp-actions/v1`),
      {
        requestInit: {
          headers: { Authorization: mockCredentials.user.header(user) },
        },
      },
    ),
  );
  return client;
}

describe('FL security through MCP', () => {
  let cluster: TestCluster;
  let portal: TenancyPortal;
  let scanned: EntityReportResponse;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ name: 'integration-mcp' });
    const seeded = await seedFederation(cluster, exampleSpec());
    // The demo's deliberate violation: something to report as failing.
    await applyManifests(cluster, [
      allowAllDebugPolicy(seeded.spec.aggregator.namespace, seeded.spec.name),
    ]);
    const entity: Entity = exampleEntity('demo-federation');
    portal = await startTenancyPortal({
      cluster: {
        // The cluster the entity names (the demo's aggregator cluster).
        name: 'fl-hub',
        url: cluster.server,
        caPem: cluster.caPem,
        token: seeded.portalToken,
      },
      entities: [
        entity,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'ml-platform', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
      ],
      groups: { [alice]: [OWNERS] },
      flSecurity: {},
      features: [import('@backstage/plugin-mcp-actions-backend')],
      backend: { actions: { pluginSources: ['fl-security'] } },
      mcpActions: { name: 'fl-security' },
    });
    await portal.waitForCatalog(2);
    const scan = await portal.as(
      alice,
      'post',
      '/api/fl-security/v1/reports/component/default/demo-federation/refresh',
    );
    if (scan.status !== 200) {
      throw new Error(`scan: HTTP ${scan.status} ${scan.text}`);
    }
    scanned = scan.body;
  });
  afterAll(async () => {
    await Promise.all(clients.map(client => client.close()));
    portal?.close();
    await cluster?.stop();
  });

  async function clientAs(user: string) {
    const client = await mcpClientAs(portal, user);
    clients.push(client);
    return client;
  }

  it('lists the FL security tools as read-only, with their input schemas', async () => {
    const client = await clientAs(alice);
    const { tools } = await client.listTools();
    expect(tools.map(tool => tool.name).sort()).toEqual([
      'fl-security.check-manifests',
      'fl-security.get-report',
    ]);
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
      });
    }
    const getReport = tools.find(t => t.name === 'fl-security.get-report');
    expect(getReport?.inputSchema).toMatchObject({
      type: 'object',
      properties: { entityRef: { type: 'string' } },
      required: ['entityRef'],
    });
  });

  it('answers an owner the stored report: verdict, summary and failing results', async () => {
    const client = await clientAs(alice);
    const result = await client.callTool({
      name: 'fl-security.get-report',
      arguments: { entityRef: ENTITY_REF },
    });
    expect(result.isError).toBeFalsy();
    const output = result.structuredContent as any;
    const { report } = scanned;
    expect(output).toMatchObject({
      entityRef: ENTITY_REF,
      state: 'scanned',
      overall: 'violations',
      federation: 'demo-federation',
      generatedAt: report.generatedAt,
      summary: report.summary,
      failingOmitted: 0,
    });
    const failingOfRoute = report.results
      .filter(r => r.status === 'fail' || r.status === 'error')
      .map(r => `${r.ruleId} ${r.resource.kind}/${r.resource.name}`)
      .sort();
    expect(
      output.failing
        .map((r: any) => `${r.ruleId} ${r.resource.kind}/${r.resource.name}`)
        .sort(),
    ).toEqual(failingOfRoute);
    // The deliberate violation is among them.
    expect(output.failing.map((r: any) => r.ruleId)).toEqual(
      expect.arrayContaining(['NET-03', 'NET-04']),
    );
  });

  it('refuses another user without telling whether the entity exists', async () => {
    const client = await clientAs(bob);
    const refused = await client.callTool({
      name: 'fl-security.get-report',
      arguments: { entityRef: ENTITY_REF },
    });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toBeUndefined();
    expect(refused.content).toEqual([
      {
        type: 'text',
        text: `NotAllowedError: missing permission fl-security.report.read on ${ENTITY_REF}`,
      },
    ]);
    const missing = await client.callTool({
      name: 'fl-security.get-report',
      arguments: { entityRef: 'component:default/no-such-federation' },
    });
    expect(missing.content).toEqual([
      {
        type: 'text',
        text: 'NotAllowedError: missing permission fl-security.report.read on component:default/no-such-federation',
      },
    ]);
    // What bob was refused is nowhere in the answer.
    expect(JSON.stringify(refused)).not.toContain('NET-0');
  });

  it('refuses a caller without credentials at the MCP endpoint', async () => {
    const response = await fetch(`${portal.baseUrl}/api/mcp-actions/v1`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'fl-security.get-report',
          arguments: { entityRef: ENTITY_REF },
        },
      }),
    });
    expect(response.status).toBe(401);
  });
});
