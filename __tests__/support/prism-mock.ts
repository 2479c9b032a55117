import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repositoryRoot } from './run-action.js';

const LOOPBACK_ADDRESS = '127.0.0.1';

/**
 * The Control Service contract. CI clones this repository with a copy of
 * shared/ beside it, so the path is the same there as on a developer's
 * machine.
 */
export const contractPath = path.join(
  repositoryRoot,
  '..',
  'shared',
  'control-service',
  'api.yaml'
);

const prismBinary = path.join(repositoryRoot, 'node_modules', '.bin', 'prism');

/**
 * The contract's path, or an error that says where it is looked for: a
 * checkout without shared/ beside it (GitHub's, for one) has no contract.
 */
export function requireContract(): string {
  if (!existsSync(contractPath)) {
    throw new Error(
      `The Control Service contract is not at ${contractPath}: the contract tests need the service's OpenAPI description there, in a shared/ folder beside this repository.`
    );
  }
  return contractPath;
}

/** The operation the check calls, as the contract names its path. */
export const EXECUTIONS_PATH_TEMPLATE =
  '/data-jobs/for-team/{team_name}/jobs/{job_name}/executions';

/** One entry of prism's sl-violations header or of a 422 body. */
export interface Violation {
  location: string[];
  severity: string;
  code: string;
  message: string;
}

export interface PrismOptions {
  /**
   * Makes prism answer a violation with an error status instead of only
   * naming it in the sl-violations header.
   */
  errors: boolean;
  /** Generates answers from the schemas instead of serving examples. */
  dynamic?: boolean;
  /** Makes dynamic answers the same on every run. */
  seed?: string;
  /** Bound on the whole start, listening port included. */
  startTimeoutMs?: number;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, LOOPBACK_ADDRESS);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Sends `signal` to the whole process group led by `pid`; false if gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

// Signale prints colours when it believes it writes to a terminal.
const ANSI_ESCAPE = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

/**
 * `prism mock` of the contract on 127.0.0.1, in a process group of its own
 * so that stop() ends everything it started.
 */
export class PrismMock {
  /** The port prism listens on, known once start() has returned. */
  port = 0;
  private output = '';
  private exited = false;
  private readonly exitedPromise: Promise<void>;
  private readonly killOnExit = (): void => {
    signalGroup(this.pid, 'SIGKILL');
  };

  private constructor(
    child: ChildProcess,
    private readonly pid: number,
    readonly description: string
  ) {
    this.exitedPromise = new Promise((resolve) => {
      child.once('exit', () => {
        this.exited = true;
        resolve();
      });
    });
    const collect = (text: string): void => {
      this.output += text.replace(ANSI_ESCAPE, '');
    };
    child.stdout?.setEncoding('utf8').on('data', collect);
    child.stderr?.setEncoding('utf8').on('data', collect);
    // A test worker that dies without running afterAll must not leave a
    // server behind.
    process.once('exit', this.killOnExit);
  }

  /**
   * Starts prism and waits until its port accepts connections. Port 0 lets
   * the kernel pick a free port with no window for another process to take
   * it; prism prints the port it got, and only a connection to that port
   * counts as listening.
   */
  static async start(options: PrismOptions): Promise<PrismMock> {
    const args = [
      prismBinary,
      'mock',
      requireContract(),
      '--host',
      LOOPBACK_ADDRESS,
      '--port',
      '0'
    ];
    if (options.errors) args.push('--errors');
    if (options.dynamic === true) args.push('--dynamic');
    if (options.seed !== undefined) args.push('--seed', options.seed);
    // Built from nothing, so that no proxy or colour variable of the
    // developer's shell changes what prism does or prints.
    const child = spawn(process.execPath, args, {
      cwd: repositoryRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        FORCE_COLOR: '0',
        NO_COLOR: '1'
      }
    });
    if (child.pid === undefined) {
      throw new Error(`prism did not start: ${args.join(' ')}`);
    }
    const description = ['prism', ...args.slice(1)].join(' ');
    const prism = new PrismMock(child, child.pid, description);
    try {
      await prism.waitUntilListening(options.startTimeoutMs ?? 30_000);
    } catch (thrown) {
      await prism.stop();
      throw thrown;
    }
    return prism;
  }

  get baseUrl(): string {
    return `http://${LOOPBACK_ADDRESS}:${this.port}`;
  }

  private async waitUntilListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const announced = /Prism is listening on http:\/\/127\.0\.0\.1:(\d+)/;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(
          `${this.description} exited before it listened:\n${this.output}`
        );
      }
      const port = Number(announced.exec(this.output)?.[1] ?? '0');
      if (port > 0 && (await canConnect(port))) {
        this.port = port;
        return;
      }
      await sleep(100);
    }
    throw new Error(
      `${this.description} did not listen within ${timeoutMs} ms:\n${this.output}`
    );
  }

  /** Ends prism's process group: TERM, then KILL if it lingers. */
  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    if (this.exited) return;
    signalGroup(this.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exitedPromise.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 5_000);
      })
    ]);
    clearTimeout(timer);
    if (!ended) {
      signalGroup(this.pid, 'SIGKILL');
      await this.exitedPromise;
    }
  }
}

/** One request that went through the recorder, and prism's answer to it. */
export interface RecordedExchange {
  method: string;
  /** Path and query exactly as the client sent them. */
  rawUrl: string;
  headers: http.IncomingHttpHeaders;
  /** Prism's status; 502 when prism could not be reached. */
  status: number;
  /** The sl-violations header verbatim; undefined when prism sent none. */
  violationsHeader: string | undefined;
  body: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isViolation(value: unknown): value is Violation {
  return (
    isRecord(value) &&
    Array.isArray(value['location']) &&
    value['location'].every((part) => typeof part === 'string') &&
    typeof value['severity'] === 'string' &&
    typeof value['code'] === 'string' &&
    typeof value['message'] === 'string'
  );
}

/** The violations of a header or a body, or null when it is not a list. */
export function parseViolations(text: string): Violation[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(parsed) && parsed.every(isViolation) ? parsed : null;
}

/** Where a violation lies: "request" side (path, query, …) or "response". */
function side(violation: Violation): 'request' | 'response' {
  return violation.location[0] === 'response' ? 'response' : 'request';
}

export interface ContractCheck {
  /**
   * Violations prism found in its own answer, not in the request. The
   * static example of the executions list breaks the contract's own schema
   * (see the test), and prism says so on every answer it serves.
   */
  allowResponseViolations: boolean;
}

/**
 * What is wrong with one exchange as far as the contract goes, one line per
 * problem; [] when prism accepted the request and answered 200.
 */
export function contractProblems(
  exchange: RecordedExchange,
  check: ContractCheck
): string[] {
  const where = `${exchange.method} ${exchange.rawUrl}`;
  const problems: string[] = [];
  if (exchange.status !== 200) {
    problems.push(`${where}: HTTP ${exchange.status}: ${exchange.body}`);
  }
  if (exchange.violationsHeader !== undefined) {
    const violations = parseViolations(exchange.violationsHeader);
    if (violations === null) {
      problems.push(
        `${where}: unreadable sl-violations header ${exchange.violationsHeader}`
      );
    } else {
      for (const violation of violations) {
        if (check.allowResponseViolations && side(violation) === 'response') {
          continue;
        }
        problems.push(
          `${where}: sl-violations ${violation.location.join('.')}: ${violation.message}`
        );
      }
    }
  }
  return problems;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * A reverse proxy on 127.0.0.1 in front of prism that passes every request
 * on unchanged and records prism's status and sl-violations header.
 *
 * Chosen over reading prism's log: the log is written for people (times,
 * symbols, wording that changes between versions) and does not tie a line
 * to the run that caused it, while the proxy sees the exact bytes of each
 * request and answer, and one proxy per test keeps concurrent runs apart.
 */
export class RecordingProxy {
  readonly exchanges: RecordedExchange[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly targetPort: number
  ) {}

  static async start(target: PrismMock): Promise<RecordingProxy> {
    const server = http.createServer();
    const proxy = new RecordingProxy(server, target.port);
    server.on('connection', (socket: Socket) => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      proxy.forward(request, response).catch((thrown: unknown) => {
        if (!response.headersSent) response.writeHead(502);
        response.end(String(thrown));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK_ADDRESS, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get baseUrl(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${LOOPBACK_ADDRESS}:${address.port}`;
  }

  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) =>
      this.server.close(() => resolve())
    );
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }

  private async forward(
    request: http.IncomingMessage,
    response: http.ServerResponse
  ): Promise<void> {
    const requestBody = await readAll(request);
    const exchange: RecordedExchange = {
      method: request.method ?? '',
      rawUrl: request.url ?? '',
      headers: request.headers,
      status: 502,
      violationsHeader: undefined,
      body: ''
    };
    this.exchanges.push(exchange);
    const answer = await new Promise<http.IncomingMessage>(
      (resolve, reject) => {
        const upstream = http.request(
          {
            host: LOOPBACK_ADDRESS,
            port: this.targetPort,
            method: request.method,
            // request.url is the request line as sent: percent-encoding,
            // empty segments and the query stay exactly as the client wrote
            // them.
            path: request.url,
            headers: request.headers,
            agent: false
          },
          resolve
        );
        upstream.once('error', reject);
        upstream.end(requestBody);
      }
    ).catch((thrown: unknown) => {
      exchange.body = `prism could not be reached: ${String(thrown)}`;
      throw thrown;
    });
    const answerBody = await readAll(answer);
    const violations = answer.headers['sl-violations'];
    exchange.status = answer.statusCode ?? 0;
    exchange.violationsHeader = Array.isArray(violations)
      ? violations.join(', ')
      : violations;
    exchange.body = answerBody.toString('utf8');
    response.writeHead(exchange.status, answer.headers);
    response.end(answerBody);
  }
}

/** Runs `body` with a fresh recorder in front of `prism`, then closes it. */
export async function withRecorder<T>(
  prism: PrismMock,
  body: (recorder: RecordingProxy) => Promise<T>
): Promise<T> {
  const recorder = await RecordingProxy.start(prism);
  try {
    return await body(recorder);
  } finally {
    await recorder.close();
  }
}

/**
 * Sends one request with `rawPath` on the request line as it is, which
 * fetch() would normalise.
 */
export function sendRaw(
  baseUrl: string,
  rawPath: string,
  headers: Record<string, string> = {}
): Promise<Omit<RecordedExchange, 'method' | 'rawUrl' | 'headers'>> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: base.hostname,
        port: Number(base.port),
        method: 'GET',
        path: rawPath,
        headers,
        agent: false
      },
      (answer) => {
        readAll(answer).then((body) => {
          const violations = answer.headers['sl-violations'];
          resolve({
            status: answer.statusCode ?? 0,
            violationsHeader: Array.isArray(violations)
              ? violations.join(', ')
              : violations,
            body: body.toString('utf8')
          });
        }, reject);
      }
    );
    request.once('error', reject);
    request.end();
  });
}

/** One execution of the contract's example list, as the check reads it. */
export interface ExampleExecution {
  id: string;
  status: string;
}

function resolveReference(document: unknown, node: unknown): unknown {
  const seen = new Set<string>();
  let current = node;
  while (isRecord(current) && typeof current['$ref'] === 'string') {
    const reference = current['$ref'];
    if (!reference.startsWith('#/') || seen.has(reference)) {
      throw new Error(`${contractPath}: cannot follow $ref ${reference}`);
    }
    seen.add(reference);
    current = reference
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>(
        (at, key) => (isRecord(at) ? at[key] : undefined),
        document
      );
  }
  return current;
}

function field(
  document: unknown,
  node: unknown,
  ...names: string[]
): Record<string, unknown> {
  let current = resolveReference(document, node);
  for (const name of names) {
    current = resolveReference(
      document,
      isRecord(current) ? current[name] : undefined
    );
  }
  if (!isRecord(current)) {
    throw new Error(`${contractPath}: no mapping at ${names.join(' > ')}`);
  }
  return current;
}

function toExampleExecution(value: unknown): ExampleExecution {
  if (
    !isRecord(value) ||
    typeof value['id'] !== 'string' ||
    typeof value['status'] !== 'string'
  ) {
    throw new Error(
      `${contractPath}: an example execution without a string id and status: ${JSON.stringify(value)}`
    );
  }
  return { id: value['id'], status: value['status'] };
}

/**
 * The executions the contract's example answer of the executions list
 * holds. An example on the media type wins, as it does in prism; without
 * one, prism's static mode serves a list of one item built from the item
 * schema's property examples.
 */
export function contractExampleExecutions(): ExampleExecution[] {
  const document: unknown = parseYaml(readFileSync(requireContract(), 'utf8'));
  const media = field(
    document,
    document,
    'paths',
    EXECUTIONS_PATH_TEMPLATE,
    'get',
    'responses',
    '200',
    'content',
    'application/json'
  );
  if (Array.isArray(media['example'])) {
    return media['example'].map(toExampleExecution);
  }
  if (isRecord(media['examples'])) {
    const [first] = Object.values(media['examples']);
    const value = isRecord(first) ? first['value'] : undefined;
    if (!Array.isArray(value)) {
      throw new Error(`${contractPath}: the first example is not a list`);
    }
    return value.map(toExampleExecution);
  }
  const schema = field(document, media, 'schema');
  if (schema['type'] !== 'array') {
    throw new Error(`${contractPath}: the executions list is not an array`);
  }
  const properties = field(document, schema, 'items', 'properties');
  const exampleOf = (name: string): unknown =>
    field(document, properties, name)['example'];
  return [
    toExampleExecution({ id: exampleOf('id'), status: exampleOf('status') })
  ];
}
