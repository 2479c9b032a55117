import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const LOOPBACK_ADDRESS = '127.0.0.1';

function withoutProxyCredentials(
  headers: http.IncomingHttpHeaders
): http.IncomingHttpHeaders {
  const { 'proxy-authorization': _credentials, ...rest } = headers;
  return rest;
}

/** One request the proxy received, as the client addressed it. */
export interface ProxiedRequest {
  /** CONNECT for a tunnel, otherwise the method of an absolute-form request. */
  method: string;
  /** host:port as the client named it, host lower-cased. */
  target: string;
  /** Whether the target was registered and the proxy passed it on. */
  forwarded: boolean;
  /** The Proxy-Authorization header, when the client sent one. */
  proxyAuthorization?: string;
}

/**
 * A forward proxy on 127.0.0.1 that speaks CONNECT and absolute-form
 * requests, as corporate proxies do. It records every target and passes on
 * only those the test registered, and then always to 127.0.0.1: whatever
 * the client asks for, nothing leaves this machine.
 */
export class ForwardProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly allowedTargets = new Set<string>();
  private readonly sockets = new Set<Duplex>();
  private closed = false;

  private constructor(
    private readonly server: http.Server,
    private readonly scheme: 'http' | 'https'
  ) {}

  /**
   * With `tls`, the proxy itself speaks https with that key and certificate
   * (PEM), as some corporate proxies do.
   */
  static async start(
    options: { tls?: { key: string; cert: string } } = {}
  ): Promise<ForwardProxy> {
    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert })
      : http.createServer();
    const proxy = new ForwardProxy(server, options.tls ? 'https' : 'http');
    server.on('connection', (socket: Socket) => proxy.track(socket));
    server.on('connect', (request, clientSocket: Duplex, head: Buffer) =>
      proxy.tunnel(request, clientSocket, head)
    );
    server.on('request', (request, response) =>
      proxy.forward(request, response)
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK_ADDRESS, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  /** http(s)://127.0.0.1:<port>, the value for http_proxy or https_proxy. */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `${this.scheme}://${LOOPBACK_ADDRESS}:${address.port}`;
  }

  /** Lets requests for `hostName:port` through, to 127.0.0.1:port. */
  allow(hostName: string, port: number): void {
    this.allowedTargets.add(`${hostName.toLowerCase()}:${port}`);
  }

  /** Stops listening and cuts every connection, tunnels included. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new Promise<void>((resolve) =>
      this.server.close(() => resolve())
    );
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A client that cuts its end must not crash the test process.
    socket.on('error', () => socket.destroy());
  }

  /** The loopback port to use for `target`, or null when not registered. */
  private portFor(target: string): number | null {
    if (!this.allowedTargets.has(target)) return null;
    const port = Number(target.slice(target.lastIndexOf(':') + 1));
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  }

  private record(
    request: http.IncomingMessage,
    target: string,
    forwarded: boolean
  ): void {
    const proxyAuthorization = request.headers['proxy-authorization'];
    this.requests.push({
      method: request.method ?? '',
      target,
      forwarded,
      ...(proxyAuthorization === undefined ? {} : { proxyAuthorization })
    });
  }

  private tunnel(
    request: http.IncomingMessage,
    clientSocket: Duplex,
    head: Buffer
  ): void {
    // Already tracked: the server saw it as a connection first.
    const target = (request.url ?? '').toLowerCase();
    const port = this.portFor(target);
    this.record(request, target, port !== null);
    if (port === null || this.closed) {
      clientSocket.end(
        'HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'
      );
      return;
    }
    const upstream = net.connect(port, LOOPBACK_ADDRESS);
    this.track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.once('error', () => {
      // Once the tunnel stands, its bytes belong to the client's protocol.
      if (!established && clientSocket.writable) {
        clientSocket.end(
          'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'
        );
      }
    });
    upstream.once('close', () => clientSocket.destroy());
    clientSocket.once('close', () => upstream.destroy());
  }

  private forward(
    request: http.IncomingMessage,
    response: http.ServerResponse
  ): void {
    let targetUrl: URL | null = null;
    try {
      targetUrl = new URL(request.url ?? '');
    } catch {
      // An origin-form request ("/path") is not meant for a proxy.
    }
    if (targetUrl === null || targetUrl.protocol !== 'http:') {
      this.record(request, request.url ?? '', false);
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('This proxy takes CONNECT or absolute http:// requests.');
      return;
    }
    const target = `${targetUrl.hostname.toLowerCase()}:${targetUrl.port || '80'}`;
    const port = this.portFor(target);
    this.record(request, target, port !== null);
    if (port === null) {
      response.writeHead(403, { 'content-type': 'text/plain' });
      response.end(`This proxy does not forward to ${target}.`);
      return;
    }
    const upstream = http.request(
      {
        host: LOOPBACK_ADDRESS,
        port,
        method: request.method,
        path: `${targetUrl.pathname}${targetUrl.search}`,
        // The Host header still names the target, as a real proxy keeps it;
        // the proxy's own credentials stop here.
        headers: withoutProxyCredentials(request.headers),
        agent: false
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      }
    );
    upstream.on('socket', (socket) => this.track(socket));
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  }
}
