import { AddressInfo, Server, Socket, createServer } from 'node:net';

/**
 * A TCP proxy for fault injection: put it in front of PostgreSQL (or Redis) and point the app at it.
 * - `start()`: listen and pass bytes through (the port stays the same across stop/start);
 * - `stop()`: stop listening, so new connections are refused (live ones are kept);
 * - `cutAll()`: destroy every live connection (both sides), as a crash or a network cut would;
 * - `hold()` / `release()`: stop / resume forwarding on live and new connections (a hung peer).
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private held = false;
  private boundPort = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly listenHost = '127.0.0.1',
  ) {}

  /** The port it listens on (after the first start). */
  get port(): number {
    return this.boundPort;
  }

  /** Live proxied connections. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Listens (on the same port as before after a stop) and passes connections through. */
  async start(): Promise<number> {
    if (this.server) return this.boundPort;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.listenHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }

  /** Stops listening: new connections are refused (ECONNREFUSED). Live connections stay. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    // close() stops accepting at once; its callback waits for live connections, which we keep.
    await new Promise<void>((resolve) => {
      server.close();
      setImmediate(resolve);
    });
  }

  /** Destroys every live connection, both the client's and the upstream side. */
  cutAll(): number {
    const n = this.pairs.size;
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
    return n;
  }

  /** Stops forwarding bytes in both directions (connections stay open): the peer seems hung. */
  hold(): void {
    this.held = true;
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /** Resumes forwarding after hold(). */
  release(): void {
    this.held = false;
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream.resume();
    }
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    await this.stop();
    this.cutAll();
  }

  private accept(client: Socket): void {
    const upstream = new Socket();
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.held) {
      client.pause();
      upstream.pause();
    }
    upstream.connect(this.target.port, this.target.host);
  }
}
