import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the stand-in received it, before any interpretation. */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as they arrived on the request line. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  /** The request body as text; '' for a GET. */
  body: string;
  /** Milliseconds since the stand-in started listening. */
  receivedAtMs: number;
  /** Date.now() when the request arrived, to compare with other clocks. */
  receivedAtEpochMs: number;
}

/** What the stand-in answers to one request. */
export interface CannedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Accept the request and then say nothing until the stand-in closes. */
  neverAnswer?: boolean;
  /** Cut the connection instead of answering, as a crashing proxy does. */
  hangUp?: boolean;
  /** Reset the connection (TCP RST) instead of answering: ECONNRESET. */
  reset?: boolean;
  /**
   * Send the body, then one more space this often, never finishing: a
   * client that only watches for idle sockets waits forever.
   */
  trickleEveryMs?: number;
}

export type ResponseHandler = (
  request: RecordedRequest,
  requestIndex: number
) => CannedResponse | Promise<CannedResponse>;

export interface StandInOptions {
  /**
   * Answers in order; once the queue is down to its last entry, that entry
   * answers every further request, so `[serverError(503)]` is a service
   * that keeps failing.
   */
  responses?: CannedResponse[];
  /** Decides each answer; takes precedence over `responses`. */
  handler?: ResponseHandler;
  /**
   * Never close idle keep-alive connections from the server side, as some
   * ingresses do; a client that relies on the server to hang up then hangs.
   */
  keepIdleConnectionsForever?: boolean;
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
}

/** One data job execution in the Control Service's JSON shape. */
export interface ServiceExecution {
  id: string | null;
  job_name: string | null;
  status: string | null;
  type: string | null;
  start_time: string | null;
  end_time: string | null;
  started_by: string | null;
  logs_url: string | null;
  message: string | null;
  op_id: string | null;
  deployment: ServiceDeployment | null;
}

export interface ServiceDeployment {
  id: string;
  enabled: boolean;
  job_version: string;
  vdk_version: string;
  python_version: string;
  mode: string;
  deployed_by: string;
  deployed_date: string;
}

const FINISHED_STATUSES = [
  'succeeded',
  'cancelled',
  'skipped',
  'user_error',
  'platform_error'
];

/** Statuses of executions that have ended, as the service names them. */
export function finishedStatuses(): readonly string[] {
  return FINISHED_STATUSES;
}

let operationCounter = 0;

/**
 * An execution with plausible values in every field, so that the action
 * meets the whole shape and not only the fields it reads.
 */
export function buildExecution(
  fields: Partial<ServiceExecution> & { id: string }
): ServiceExecution {
  operationCounter += 1;
  const status = fields.status ?? 'running';
  const ended = FINISHED_STATUSES.includes(status);
  const startTime = fields.start_time ?? '2025-12-04T00:00:00Z';
  return {
    job_name: 'ingest-sales',
    status,
    type: 'scheduled',
    start_time: startTime,
    end_time: ended ? startTime : null,
    started_by: 'scheduled/runtime',
    logs_url: null,
    message: ended ? 'Execution ended.' : null,
    op_id: operationCounter.toString(16).padStart(16, '0'),
    deployment: {
      id: 'production',
      enabled: true,
      job_version: '11a403ba',
      vdk_version: '0.3.1',
      python_version: '3.11',
      mode: 'release',
      deployed_by: 'deployer@example.com',
      deployed_date: '2025-12-01T09:30:00Z'
    },
    ...fields
  };
}

/** A 200 answer holding `value` as JSON. */
export function jsonResponse(value: unknown, status = 200): CannedResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value)
  };
}

/** The service's answer to the executions query. */
export function executionList(
  executions: readonly ServiceExecution[]
): CannedResponse {
  return jsonResponse(executions);
}

export function serverError(status: number): CannedResponse {
  return jsonResponse(
    {
      what: 'The Control Service failed to handle the request.',
      why: `Stand-in answers ${status} on purpose.`
    },
    status
  );
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => resolve(Buffer.concat(chunks).toString('utf8'));
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', done);
    // A client that gives up mid-body still leaves a request to record.
    request.on('close', done);
  });
}

/** A real HTTP server on loopback playing the VDK Control Service. */
export class StandInControlService {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted so far, including failed TLS handshakes. */
  connectionCount = 0;
  private readonly sockets = new Set<Socket>();
  /** Delayed answers, each with the function that ends its wait early. */
  private readonly pendingDelays = new Map<NodeJS.Timeout, () => void>();
  private readonly pendingIntervals = new Set<NodeJS.Timeout>();
  private readonly startedAt = Date.now();
  private closed = false;
  private listeningPort = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly options: StandInOptions
  ) {}

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(options: StandInOptions): Promise<StandInControlService> {
    if (!options.handler && (options.responses ?? []).length === 0) {
      throw new Error('The stand-in needs a handler or canned responses.');
    }
    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert })
      : http.createServer();
    const standIn = new StandInControlService(server, options);
    if (options.keepIdleConnectionsForever) {
      // 0 turns Node's idle timer off: the server never hangs up by itself.
      server.keepAliveTimeout = 0;
    }
    server.on('connection', (socket: Socket) => {
      standIn.connectionCount += 1;
      standIn.sockets.add(socket);
      socket.on('close', () => standIn.sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      standIn.handle(request, response).catch((thrown: unknown) => {
        if (!response.headersSent && !response.destroyed) {
          response.writeHead(500, { 'content-type': 'text/plain' });
        }
        response.end(`stand-in handler failed: ${String(thrown)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Kept, so that tests can still name the port after close().
    standIn.listeningPort = (server.address() as AddressInfo).port;
    return standIn;
  }

  /** http://127.0.0.1:<port> (https:// with TLS), without a trailing slash. */
  get baseUrl(): string {
    return this.urlFor('127.0.0.1');
  }

  /** The port it listens on; still known after close(). */
  get port(): number {
    return this.listeningPort;
  }

  /** The base URL under another name of this machine, such as localhost. */
  urlFor(hostName: string): string {
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://${hostName}:${this.port}`;
  }

  /** Connections open right now, idle or busy. */
  get openConnectionCount(): number {
    return this.sockets.size;
  }

  /** Stops listening and cuts every open connection, idle or pending. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [timer, endWait] of this.pendingDelays) {
      clearTimeout(timer);
      endWait();
    }
    this.pendingDelays.clear();
    for (const interval of this.pendingIntervals) clearInterval(interval);
    this.pendingIntervals.clear();
    const stopped = new Promise<void>((resolve) =>
      this.server.close(() => resolve())
    );
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }

  private async handle(
    request: http.IncomingMessage,
    response: http.ServerResponse
  ): Promise<void> {
    const receivedAtEpochMs = Date.now();
    // Reading the body to its end also lets the connection serve the next
    // request.
    const requestBody = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      rawUrl: request.url ?? '',
      headers: request.headers,
      body: requestBody,
      receivedAtMs: receivedAtEpochMs - this.startedAt,
      receivedAtEpochMs
    };
    const requestIndex = this.requests.length;
    this.requests.push(recorded);
    const canned = this.options.handler
      ? await this.options.handler(recorded, requestIndex)
      : this.queued(requestIndex);
    if (canned.neverAnswer) return;
    if (canned.delayMs !== undefined && canned.delayMs > 0) {
      await this.wait(canned.delayMs);
    }
    if (this.closed || response.destroyed) return;
    if (canned.hangUp) {
      request.socket.destroy();
      return;
    }
    if (canned.reset) {
      // An RST rather than a FIN: the client sees ECONNRESET, not an end.
      request.socket.resetAndDestroy();
      return;
    }
    const body = canned.body ?? '';
    const headers: Record<string, string> = {
      'content-length': String(Buffer.byteLength(body)),
      ...(canned.headers ?? {})
    };
    if (this.options.keepIdleConnectionsForever) {
      headers['connection'] = 'keep-alive';
    }
    if (canned.trickleEveryMs !== undefined) {
      // Announce more than will ever come, so that the body stays open.
      headers['content-length'] = String(Buffer.byteLength(body) + 1_000_000);
      response.writeHead(canned.status ?? 200, headers);
      this.trickle(response, body, canned.trickleEveryMs);
      return;
    }
    response.writeHead(canned.status ?? 200, headers);
    response.end(body);
  }

  private trickle(
    response: http.ServerResponse,
    body: string,
    everyMs: number
  ): void {
    response.write(body);
    // Trailing spaces keep the JSON valid however much of it arrives.
    const timer = setInterval(() => {
      if (this.closed || response.destroyed) {
        clearInterval(timer);
        this.pendingIntervals.delete(timer);
        return;
      }
      response.write(' ');
    }, everyMs);
    this.pendingIntervals.add(timer);
  }

  private queued(requestIndex: number): CannedResponse {
    const responses = this.options.responses ?? [];
    const canned = responses[Math.min(requestIndex, responses.length - 1)];
    if (canned === undefined) {
      throw new Error('The stand-in has no canned response.');
    }
    return canned;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, ms);
      this.pendingDelays.set(timer, resolve);
    });
  }
}
