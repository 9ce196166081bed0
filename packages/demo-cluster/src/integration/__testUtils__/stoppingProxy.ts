import net from 'node:net';

/**
 * A TCP relay in front of an API server that stops it in the middle of a
 * scan: when the client has sent `afterClientChunks` chunks (TLS records of
 * requests in flight, across all connections), the relay holds that chunk,
 * runs `stop` (stopping the real server), then drops every connection and
 * stops listening, so later connections are refused like a dead server's.
 * TLS passes through untouched: the client still verifies the server.
 */
export class StoppingProxy {
  /** Chunks the client sent; the trigger chunk never reaches the server. */
  clientChunks = 0;
  /** Bytes the server had answered when the trigger fired. */
  serverBytesAtTrigger = 0;
  triggered = false;
  private serverBytes = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly listener = net.createServer(client => this.relay(client));
  private stopped?: Promise<void>;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly afterClientChunks: number,
    private readonly stop: () => Promise<void>,
  ) {}

  /** Listens on a free loopback port; returns the URL to give clients. */
  async start(): Promise<string> {
    await new Promise<void>(resolve =>
      this.listener.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.listener.address() as net.AddressInfo;
    return `https://127.0.0.1:${port}`;
  }

  /** Resolves once the server was stopped and the relay shut down. */
  whenStopped(): Promise<void> | undefined {
    return this.stopped;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise(resolve => this.listener.close(() => resolve()));
  }

  private relay(client: net.Socket) {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    const forget = (socket: net.Socket) => () => {
      this.sockets.delete(socket);
    };
    client.on('close', forget(client));
    upstream.on('close', forget(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.on('data', chunk => {
      this.serverBytes += chunk.length;
      client.write(chunk);
    });
    client.on('data', chunk => {
      if (this.triggered) return; // the server is going away
      this.clientChunks += 1;
      if (this.clientChunks < this.afterClientChunks) {
        upstream.write(chunk);
        return;
      }
      this.triggered = true;
      this.serverBytesAtTrigger = this.serverBytes;
      this.stopped = this.stop().finally(() => this.close());
    });
  }
}
