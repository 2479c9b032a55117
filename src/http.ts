import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { HttpClient } from '@actions/http-client';
import * as core from '@actions/core';
import { CheckFailedError, describeError } from './errors.js';

export interface GetOptions {
  headers: Record<string, string>;
  userAgent: string;
  /** Deadline of one attempt, from sending to the last byte of the body. */
  timeoutSeconds: number;
  /** Further attempts after a failed one. */
  retries: number;
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

const MAX_REDIRECTS = 5;
/** Far above any list of executions; a larger answer is not the service. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([
  301, 302, 303, 307, 308
]);
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

// Certificate problems and refused downgrades will not change on a retry.
function isTransient(thrown: unknown): boolean {
  const code =
    typeof thrown === 'object' && thrown !== null && 'code' in thrown
      ? String(thrown.code)
      : '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|ERR_INVALID/.test(code)) {
    return false;
  }
  return !/downgrade/i.test(describeError(thrown));
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
    message.on('aborted', () => reject(new Error('connection closed early')));
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
  headers: Record<string, string>
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
  core.debug(`HTTP ${status}: redirected to ${target.href}`);
  return target;
}

/**
 * One attempt, bounded as a whole: a server that accepts the connection and
 * then stalls, or trickles the body, is cut off at the deadline.
 */
async function attempt(
  url: URL,
  options: GetOptions
): Promise<Omit<HttpAnswer, 'attempts'>> {
  // A client of its own per attempt, so that dispose() tears down exactly the
  // sockets of this attempt and nothing keeps the process alive afterwards.
  const client = new HttpClient(options.userAgent, [], {
    keepAlive: true,
    allowRetries: false,
    // Redirects are followed here rather than by the client, which cannot
    // resolve a relative Location and would keep the bearer token on a
    // redirect to another port of the same host.
    allowRedirects: false,
    socketTimeout: options.timeoutSeconds * 1000
  });
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
  const exchange = (async (): Promise<Omit<HttpAnswer, 'attempts'>> => {
    let target = url;
    const headers = { ...options.headers };
    for (let redirects = 0; ; redirects++) {
      const response = await client.get(target.href, headers);
      const body = await readWhole(response.message);
      const status = response.message.statusCode ?? 0;
      const location = response.message.headers.location;
      if (!REDIRECT_STATUSES.has(status) || location === undefined) {
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
      target = redirectTarget(target, location, status, headers);
    }
  })().catch((thrown: unknown) => {
    if (thrown instanceof AttemptError) throw thrown;
    throw new AttemptError(describeError(thrown), isTransient(thrown));
  });
  try {
    return await Promise.race([exchange, deadline]);
  } finally {
    clearTimeout(timer);
    client.dispose();
    // The losing side of the race must not surface as an unhandled rejection.
    exchange.catch(() => undefined);
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

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GETs `url`, retrying connection errors, timeouts and 5xx answers. Any
 * answer below 500 is returned as it is for the caller to judge. Throws
 * CheckFailedError when every attempt failed.
 */
export async function getWithRetries(
  url: URL,
  options: GetOptions
): Promise<HttpAnswer> {
  const attempts = options.retries + 1;
  let lastProblem = '';
  for (let number = 1; number <= attempts; number++) {
    if (number > 1) {
      const wait = backoffMs(number - 1);
      core.info(
        `Attempt ${number - 1} of ${attempts} failed (${lastProblem}); trying again in ${(wait / 1000).toFixed(1)} s.`
      );
      await sleep(wait);
    }
    core.debug(`GET ${url.href} (attempt ${number} of ${attempts})`);
    try {
      const answer = { ...(await attempt(url, options)), attempts: number };
      core.debug(`HTTP ${answer.status} ${answer.statusText}`);
      if (answer.status < 500 || number === attempts) return answer;
      lastProblem = `HTTP ${answer.status} ${answer.statusText}`.trim();
    } catch (thrown) {
      lastProblem = describeError(thrown);
      const retryable = thrown instanceof AttemptError && thrown.retryable;
      if (!retryable || number === attempts) {
        throw new CheckFailedError(
          `GET ${url.href} failed after ${number} attempt${number === 1 ? '' : 's'}: ${lastProblem}`
        );
      }
    }
  }
  // The loop always returns or throws on its last attempt.
  throw new CheckFailedError(`GET ${url.href} failed: ${lastProblem}`);
}
