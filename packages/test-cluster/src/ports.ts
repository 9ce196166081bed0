import net from 'node:net';

/**
 * Reserves `count` distinct free TCP ports on 127.0.0.1. The ports are
 * released before returning, so another process may take one in between:
 * callers retry on "address already in use".
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map(server => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(
      servers.map(server => new Promise<void>(resolve => server.close(() => resolve()))),
    );
  }
}
