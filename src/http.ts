import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '@actions/http-client';
import { CheckFailedError, describeError } from './errors.js';
import type { Logger } from './logger.js';

/** What every request of one run shares. */
export interface CallSettings {
  userAgent: string;
  /** Sent as X-OPID, so that the service's logs can be searched for it. */
  operationId: string;
  /** Deadline of one attempt, from sending to the last byte of the body. */
  timeoutSeconds: number;
  /** Further attempts after a failed one. */
  retries: number;
  /** Epoch milliseconds after which no further attempt starts. */
  noAttemptAfter?: number;
  logger: Logger;
}

export interface RequestOptions extends CallSettings {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Sent as it is; only with POST. */
  body?: string;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** How many attempts it took to get this answer. */
  attempts: number;
  /** Where the answer came from, after any redirects. */
  url: URL;
}

/** Far above any list of executions; a larger answer is not the service. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** The longest wait a Retry-After header can ask for before a retry. */
export const MAX_RETRY_AFTER_SECONDS = 30;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([
  301, 302, 303, 307, 308
]);
const TOO_MANY_REQUESTS = 429;
// The date form HTTP servers send: "Fri, 04 Dec 2026 10:00:05 GMT".
const HTTP_DATE =
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 8000;

/** Raised by one attempt; `retryable` tells whether another may help. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean
  ) {
    super(message);
  }
}

function errorCode(thrown: unknown): string {
  return typeof thrown === 'object' && thrown !== null && 'code' in thrown
    ? String(thrown.code)
    : '';
}

// The certificate chain does not lead to a trusted authority: the one case
// that NODE_EXTRA_CA_CERTS can mend.
const UNTRUSTED_CHAIN = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT'
]);
// Other certificate and TLS problems: a retry would meet them again.
const TLS_PROBLEM = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO/;
// What the tunnel library says when a proxy answers CONNECT with a status.
const TUNNEL_REFUSED =
  /tunneling socket could not be established, statusCode=(\d+)/;
// What it says when the connection to the proxy itself fails. It keeps only
// the cause's message, not its code.
const TUNNEL_FAILED = /tunneling socket could not be established, cause=(.*)/;
// OpenSSL's words for certificate problems, with the code Node gives each;
// longer phrases first, where one begins with another.
const CERTIFICATE_PROBLEMS: readonly (readonly [string, string])[] = [
  ['unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ['self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'],
  ['self signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'],
  ['self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ['self signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [
    'unable to get local issuer certificate',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  ],
  ['unable to get issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT'],
  ['certificate has expired', 'CERT_HAS_EXPIRED'],
  ['certificate is not yet valid', 'CERT_NOT_YET_VALID'],
  [
    "Hostname/IP does not match certificate's altnames",
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ]
];

function trustHint(code: string, whose: 'server' | 'proxy'): string {
  if (!UNTRUSTED_CHAIN.has(code)) return '';
  const extra = process.env['NODE_EXTRA_CA_CERTS'];
  return extra
    ? `; NODE_EXTRA_CA_CERTS is ${JSON.stringify(extra)}, which did not make the certificate trusted: check that it holds the authority that signed it`
    : `; if the ${whose}'s certificate comes from a private certificate authority, set NODE_EXTRA_CA_CERTS to that authority's PEM file`;
}

/**
 * The failure to open TLS to an https proxy, named as such, or null when
 * `message` says something else. A certificate does not change on a retry.
 */
function proxyTlsError(message: string): AttemptError | null {
  const cause = TUNNEL_FAILED.exec(message)?.[1];
  if (cause === undefined) return null;
  const code = CERTIFICATE_PROBLEMS.find(([words]) =>
    cause.startsWith(words)
  )?.[1];
  if (code !== undefined) {
    return new AttemptError(
      `the TLS connection to the proxy failed: ${cause} (${code})${trustHint(code, 'proxy')}`,
      false
    );
  }
  // OpenSSL's reasons when the other side does not speak TLS at all.
  if (/wrong version number|packet length too long/i.test(cause)) {
    return new AttemptError(
      `the TLS connection to the proxy failed: ${cause}; a proxy URL with https:// needs a proxy that speaks TLS: if yours speaks plain http, give its URL with http://`,
      false
    );
  }
  // Any other TLS failure (a client certificate asked for, no common
  // protocol version) would meet the same answer on a retry.
  if (/SSL routines|alert/i.test(cause)) {
    return new AttemptError(
      `the TLS connection to the proxy failed: ${cause}`,
      false
    );
  }
  return null;
}

/**
 * One attempt's failure as an AttemptError, on one line, with the error
 * code named. TLS problems, invalid requests and a proxy's refusal will not
 * change on a retry.
 */
function attemptError(thrown: unknown): AttemptError {
  if (thrown instanceof AttemptError) return thrown;
  const code = errorCode(thrown);
  const message = describeError(thrown).replace(/\s+/g, ' ').trim();
  const named =
    code === '' || message.includes(code) ? message : `${message} (${code})`;
  const tunnel = TUNNEL_REFUSED.exec(message);
  if (tunnel) {
    const status = Number(tunnel[1]);
    return new AttemptError(
      `the proxy refused to open a tunnel to the server (HTTP ${status})`,
      status >= 500
    );
  }
  const proxyTls = proxyTlsError(message);
  if (proxyTls) return proxyTls;
  if (TLS_PROBLEM.test(code)) {
    return new AttemptError(`${named}${trustHint(code, 'server')}`, false);
  }
  return new AttemptError(named, !code.startsWith('ERR_INVALID'));
}

function readWhole(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Rejected before the destroy, whose own events would reject first.
        reject(
          new AttemptError(
            `the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`,
            false
          )
        );
        message.destroy();
        return;
      }
      chunks.push(chunk);
    });
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
    message.on('aborted', () =>
      reject(new Error('the connection closed before the whole answer came'))
    );
  });
}

/**
 * Where a redirect leads. The token goes only to the origin it was given
 * for, and an https service is never left for plain http.
 */
function redirectTarget(
  from: URL,
  location: string,
  status: number,
  headers: Record<string, string>,
  logger: Logger
): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new AttemptError(
      `HTTP ${status} redirect to an invalid location ${JSON.stringify(location)}`,
      false
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new AttemptError(
      `HTTP ${status} redirect to ${JSON.stringify(target.href)} refused: only http and https are followed`,
      false
    );
  }
  if (from.protocol === 'https:' && target.protocol !== 'https:') {
    throw new AttemptError(
      `HTTP ${status} redirect from https to ${target.protocol.replace(':', '')} refused: ${target.href}`,
      false
    );
  }
  if (target.origin !== from.origin) delete headers['authorization'];
  logger.debug(`HTTP ${status}: redirected to ${target.href}`);
  return target;
}

type Answer = Omit<HttpAnswer, 'attempts'>;

/**
 * The clients of one attempt: one per hop, because a client keeps the agent
 * of its first request, and an http agent cannot speak https after a
 * redirect. Disposing them all tears down the attempt's direct sockets.
 */
class AttemptClients {
  private readonly clients: HttpClient[] = [];

  constructor(private readonly options: RequestOptions) {}

  next(): HttpClient {
    const client = new HttpClient(this.options.userAgent, [], {
      keepAlive: true,
      allowRetries: false,
      // Redirects are followed here rather than by the client, which cannot
      // resolve a relative Location and would keep the bearer token on a
      // redirect to another port of the same host.
      allowRedirects: false,
      socketTimeout: this.options.timeoutSeconds * 1000
    });
    this.clients.push(client);
    return client;
  }

  disposeAll(): void {
    for (const client of this.clients) client.dispose();
  }
}

/** Sends the request and follows redirects of a GET; POSTs stay put. */
async function exchange(
  clients: AttemptClients,
  url: URL,
  options: RequestOptions
): Promise<Answer> {
  let target = url;
  const headers = { ...options.headers, 'x-opid': options.operationId };
  for (let redirects = 0; ; redirects++) {
    const response = await clients
      .next()
      .request(options.method, target.href, options.body ?? null, headers);
    const body = await readWhole(response.message);
    const status = response.message.statusCode ?? 0;
    const location = response.message.headers.location;
    if (
      options.method !== 'GET' ||
      !REDIRECT_STATUSES.has(status) ||
      location === undefined
    ) {
      return {
        status,
        statusText: response.message.statusMessage ?? '',
        headers: response.message.headers,
        body,
        url: target
      };
    }
    if (redirects === MAX_REDIRECTS) {
      throw new AttemptError(`more than ${MAX_REDIRECTS} redirects`, false);
    }
    target = redirectTarget(target, location, status, headers, options.logger);
  }
}

/**
 * One attempt, bounded as a whole: a server that accepts the connection and
 * then stalls, or trickles the body, is cut off at the deadline.
 */
async function attempt(url: URL, options: RequestOptions): Promise<Answer> {
  const clients = new AttemptClients(options);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AttemptError(
            `no complete answer within ${options.timeoutSeconds} s`,
            true
          )
        ),
      options.timeoutSeconds * 1000
    );
  });
  const answered = exchange(clients, url, options).catch((thrown: unknown) => {
    throw attemptError(thrown);
  });
  try {
    return await Promise.race([answered, deadline]);
  } finally {
    clearTimeout(timer);
    clients.disposeAll();
    // The losing side of the race must not surface as an unhandled rejection.
    answered.catch(() => undefined);
  }
}

function backoffMs(retryNumber: number): number {
  const ceiling = Math.min(
    BACKOFF_MAX_MS,
    BACKOFF_FIRST_MS * 2 ** (retryNumber - 1)
  );
  // Half fixed, half random: runs that failed together do not retry together.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * The wait a Retry-After header asks for, in seconds or as an HTTP date,
 * capped so that a server cannot hold the check for long; null without one.
 */
export function retryAfterMs(
  header: string | string[] | undefined,
  now = Date.now()
): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return null;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else if (HTTP_DATE.test(value)) ms = Date.parse(value) - now;
  else return null;
  if (Number.isNaN(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_SECONDS * 1000);
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === TOO_MANY_REQUESTS;
}

/**
 * Sends the request, retrying connection errors, timeouts, 5xx and 429
 * answers. Any other answer is returned for the caller to judge, and so is
 * the last one when retries run out. Throws CheckFailedError when no
 * attempt got an answer.
 */
export async function sendWithRetries(
  url: URL,
  options: RequestOptions
): Promise<HttpAnswer> {
  const attempts = options.retries + 1;
  let lastProblem = '';
  let lastAnswer: HttpAnswer | null = null;
  let requestedWaitMs: number | null = null;
  const failed = (tries: number): CheckFailedError =>
    new CheckFailedError(
      `${options.method} ${url.href} failed after ${tries} attempt${tries === 1 ? '' : 's'}: ${lastProblem}`
    );
  for (let number = 1; number <= attempts; number++) {
    if (number > 1) {
      const wait = requestedWaitMs ?? backoffMs(number - 1);
      if (
        options.noAttemptAfter !== undefined &&
        Date.now() + wait > options.noAttemptAfter
      ) {
        options.logger.info(
          `Attempt ${number - 1} of ${attempts} failed (${lastProblem}); no time is left to try again.`
        );
        if (lastAnswer) return lastAnswer;
        throw failed(number - 1);
      }
      const asked = requestedWaitMs === null ? '' : ' as the server asked';
      options.logger.info(
        `Attempt ${number - 1} of ${attempts} failed (${lastProblem}); trying again in ${(wait / 1000).toFixed(1)} s${asked}.`
      );
      await sleep(wait);
    }
    options.logger.debug(
      `${options.method} ${url.href} (attempt ${number} of ${attempts})`
    );
    try {
      const answer = { ...(await attempt(url, options)), attempts: number };
      options.logger.debug(`HTTP ${answer.status} ${answer.statusText}`);
      if (!isRetryableStatus(answer.status) || number === attempts) {
        return answer;
      }
      lastAnswer = answer;
      lastProblem = `HTTP ${answer.status} ${answer.statusText}`.trim();
      requestedWaitMs = retryAfterMs(answer.headers['retry-after']);
    } catch (thrown) {
      lastAnswer = null;
      lastProblem = describeError(thrown);
      requestedWaitMs = null;
      const retryable = thrown instanceof AttemptError && thrown.retryable;
      if (!retryable || number === attempts) throw failed(number);
    }
  }
  // The loop always returns or throws on its last attempt.
  throw failed(attempts);
}
