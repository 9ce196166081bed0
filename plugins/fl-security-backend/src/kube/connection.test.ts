import https from 'node:https';
import { AddressInfo } from 'node:net';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { loadClientNode } from './clientNode';
import { connectCluster } from './connection';

const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});
const otherCa = createTestCertificate({
  commonName: 'other',
  dnsNames: ['other'],
});

describe('connectCluster', () => {
  let server: https.Server;
  let url: string;
  let handshakes = 0;
  let openSockets = 0;

  beforeAll(async () => {
    await loadClientNode();
    server = https.createServer(
      { cert: serverCert.certPem, key: serverCert.keyPem },
      (req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ path: req.url, auth: req.headers.authorization }),
        );
      },
    );
    server.on('secureConnection', socket => {
      handshakes += 1;
      openSockets += 1;
      socket.on('close', () => {
        openSockets -= 1;
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  beforeEach(() => {
    handshakes = 0;
  });

  const source = (caPem: string) => ({
    type: 'serviceAccount' as const,
    url,
    token: 'conn-token',
    caData: base64(caPem),
    skipTLSVerify: false,
  });

  it('reuses one TLS connection for sequential requests and closes it on close()', async () => {
    const connection = await connectCluster('c1', source(serverCert.caPem));
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) {
      const response = await connection.request({
        path: `/api/v1/namespaces/n${i}`,
        signal,
      });
      const body = {
        path: `/api/v1/namespaces/n${i}`,
        auth: 'Bearer conn-token',
      };
      expect(response).toEqual({
        status: 200,
        body,
        bytes: JSON.stringify(body).length,
      });
    }
    expect(handshakes).toBe(1);
    expect(openSockets).toBe(1);

    connection.close();
    for (let i = 0; i < 100 && openSockets > 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(openSockets).toBe(0);
  });

  it('refuses a body larger than the request allows, while it streams in', async () => {
    const connection = await connectCluster('c3', source(serverCert.caPem));
    await expect(
      connection.request({
        path: '/api/v1/namespaces/a-long-enough-name',
        signal: new AbortController().signal,
        maxBytes: 10,
      }),
    ).rejects.toThrow('response exceeds 10 bytes');
    connection.close();
  });

  it('still verifies the server against the configured CA', async () => {
    const connection = await connectCluster('c2', source(otherCa.caPem));
    await expect(
      connection.request({
        path: '/api',
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/certificate/i);
    connection.close();
    expect(handshakes).toBe(0);
  });
});
