/**
 * @jest-environment node
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { FlSecurityClient } from './FlSecurityClient';
import { response } from '../__testUtils__/fixtures';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
}

describe('FlSecurityClient', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[];
  let reply: (req: IncomingMessage) => { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
      });
      const { status, body } = reply(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}/api/fl-security`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    seen = [];
    reply = () => ({ status: 200, body: response() });
  });

  function client() {
    return new FlSecurityClient({
      discoveryApi: {
        getBaseUrl: async pluginId => {
          expect(pluginId).toBe('fl-security');
          return baseUrl;
        },
      },
      // Stands in for the app's fetchApi, which adds the user's token.
      fetchApi: {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { authorization: 'Bearer user-token' },
          }),
      },
    });
  }

  it('reads an entity report from the versioned route', async () => {
    const result = await client().getEntityReport({
      kind: 'Component',
      namespace: 'default',
      name: 'mnist-fl',
    });
    expect(result).toMatchObject({ report: { federation: 'mnist-fl' } });
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/api/fl-security/v1/reports/component/default/mnist-fl',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('encodes entity names so they cannot change the path', async () => {
    await client().getEntityReport({
      kind: 'Component',
      namespace: 'default',
      name: '../../admin?x=1',
    });
    expect(seen[0].url).toBe(
      '/api/fl-security/v1/reports/component/default/..%2F..%2Fadmin%3Fx%3D1',
    );
  });

  it('forces a scan with POST .../refresh', async () => {
    await client().refreshEntityReport({
      kind: 'Component',
      namespace: 'team-a',
      name: 'mnist-fl',
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/fl-security/v1/reports/component/team-a/mnist-fl/refresh',
    });
  });

  it('reads the fleet summary', async () => {
    reply = () => ({
      status: 200,
      body: {
        items: [
          { entityRef: 'component:default/mnist-fl', overall: 'compliant' },
        ],
      },
    });
    const fleet = await client().getFleet();
    expect(fleet.items).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/api/fl-security/v1/reports',
    });
    await client().getFleet({ limit: 25, cursor: 'eyJ0Ijo/x+1' });
    expect(seen[1].url).toBe(
      '/api/fl-security/v1/reports?limit=25&cursor=eyJ0Ijo%2Fx%2B1',
    );
  });

  it('throws a ResponseError carrying the status and server message', async () => {
    reply = () => ({
      status: 403,
      body: {
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
        response: { statusCode: 403 },
      },
    });
    const error = await client()
      .getFleet()
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
  });
});
