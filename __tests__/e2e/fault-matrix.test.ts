import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  afterAll,
  beforeAll,
  describe,
  expect,
  test,
  type ExpectStatic
} from 'vitest';
import { ForwardProxy } from '../support/forward-proxy.js';
import { localNonLoopbackHostName } from '../support/local-host-name.js';
import {
  nodeBinaries,
  removeRunDirectories,
  repositoryRoot,
  runAction,
  type ActionRun,
  type NodeBinary
} from '../support/run-action.js';
import {
  checkFailedGoingAhead,
  checkFailedStandingAside,
  defaultTerminationPath,
  describeRun,
  expectedTerminationMessage,
  JOB_NAME,
  linesRevealing,
  LOGIN_PAGE,
  packageVersion,
  stoodAsideFor,
  TEAM,
  wentAhead
} from '../support/scenario.js';
import {
  StandInControlService,
  buildExecution,
  executionList,
  jsonResponse,
  serverError,
  type CannedResponse,
  type RecordedRequest,
  type StandInOptions
} from '../support/stand-in-control-service.js';
import {
  createTestCertificates,
  removeTestCertificates,
  type TestCertificates
} from '../support/test-ca.js';

// Each row of FAULT_MATRIX below runs the committed dist/index.js under
// every Node of nodeBinaries() against servers it starts on 127.0.0.1, and
// asserts the outputs, the annotation, how many requests each server got
// and a generous bound on the time taken. Every row also checks what holds
// for any run: X-OPID, User-Agent, and that no token leaks.

/**
 * A VDK API token, which is an OAuth2 refresh token, holding "+", "/", "="
 * and "&", which the form body must encode.
 */
const API_TOKEN = 'vdk-api.refresh+token/part2==&scope=all';
/** What the authorization server hands out in exchange for API_TOKEN. */
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2ZGsifQ.access-sig';
const AUTHORIZATION_PATH = '/oauth/token';
/** The form the exchange must POST, byte for byte. */
const EXCHANGE_BODY = `grant_type=refresh_token&refresh_token=${encodeURIComponent(API_TOKEN)}`;

const OLDER = buildExecution({
  id: 'ingest-sales-1764831600',
  start_time: '2025-12-04T07:00:00Z'
});

/** Room for starting node and letting it exit, on a busy two-core machine. */
const PROCESS_ALLOWANCE_MS = 10_000;

/**
 * README, "How long it can take": one request takes at most
 * (r + 1) × T + 30 × r seconds, and API-token login makes two requests.
 */
const README_WORST_CASE_FORMULA = '`(r + 1) × T + 30 × r`';
function worstCaseMs(
  timeoutSeconds: number,
  retries: number,
  requests: 1 | 2
): number {
  return requests * ((retries + 1) * timeoutSeconds + 30 * retries) * 1000;
}

type ProxyVariable =
  'https_proxy' | 'HTTPS_PROXY' | 'http_proxy' | 'HTTP_PROXY';

/** What a row's servers may need to know about the others. */
interface Peers {
  /**
   * A name /etc/hosts gives 127.0.0.1 but the HTTP client does not treat as
   * loopback, so that proxy settings apply to it.
   */
  hostName: string;
  /** Base URL of the row's `elsewhere` server, on another port. */
  elsewhereUrl: string;
}

type Annotation =
  'none' | { kind: 'warning' | 'error'; says: (string | RegExp)[] };

interface Expected {
  /** GITHUB_OUTPUT as written; a function when it names the run's files. */
  outputs:
    Record<string, string> | ((run: ActionRun) => Record<string, string>);
  annotation: Annotation;
  /** Requests the Control Service answered (or saw and never answered). */
  controlServiceRequests: number;
  /** TCP connections the Control Service accepted, when that matters. */
  controlServiceConnections?: number;
  elsewhereRequests?: number;
  authorizationRequests?: number;
  /** CONNECT tunnels the proxy opened to the Control Service. */
  proxiedToControlService?: number;
  /** Values that must have been masked with ::add-mask::. */
  masked?: string[];
  maxDurationMs: number;
}

interface FaultRow {
  name: string;
  /** The first cell of the README's "What happens when…" row it proves. */
  readme: string;
  /** The Control Service's behaviour, or a port where nothing listens. */
  controlService: ((peers: Peers) => StandInOptions) | 'closed-port';
  /** Serve the Control Service over https with the test CA's certificate. */
  controlServiceTls?: boolean;
  /** Name the Control Service by the /etc/hosts name, not 127.0.0.1. */
  controlServiceByHostName?: boolean;
  /** Another server on another port, where redirects may lead. */
  elsewhere?: StandInOptions;
  /** Serve `elsewhere` over https with the test CA's certificate. */
  elsewhereTls?: boolean;
  /** The proxy refuses the tunnel to the Control Service, as policy may. */
  proxyRefusesTunnel?: boolean;
  /** API-token login against this authorization server. */
  login?: {
    authorizationServer: StandInOptions;
    /** Inputs, or VDK's environment variables. */
    givenThrough: 'inputs' | 'environment';
  };
  /** A bearer token given as it is, without login. */
  accessToken?: string;
  proxy?: { variable: ProxyVariable; noProxy?: 'no_proxy' | 'NO_PROXY' };
  /** NODE_EXTRA_CA_CERTS names the test CA. */
  trustTestCa?: boolean;
  inputs?: Record<string, string>;
  expected: Expected;
  /** Assertions only this row needs. */
  alsoCheck?: (observed: Observed, expect: ExpectStatic) => void;
}

interface Observed {
  run: ActionRun;
  controlService: StandInControlService | null;
  elsewhere: StandInControlService | null;
  authorizationServer: StandInControlService | null;
  proxy: ForwardProxy | null;
  hostName: string;
}

const tokenAnswer = jsonResponse({
  access_token: ACCESS_TOKEN,
  token_type: 'bearer',
  expires_in: 3600
});

function loginPageRedirect(request: RecordedRequest): CannedResponse {
  return request.rawUrl.startsWith('/login')
    ? {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: LOGIN_PAGE
      }
    : {
        status: 302,
        // Ingresses send an absolute URL back to themselves.
        headers: { location: `http://${request.headers.host ?? ''}/login` }
      };
}

/** The gap between two requests a server received, in milliseconds. */
function gapMs(requests: readonly RecordedRequest[]): number {
  const [first, second] = requests;
  if (!first || !second) throw new Error('Fewer than two requests arrived.');
  return second.receivedAtEpochMs - first.receivedAtEpochMs;
}

function proxyRow(
  variable: ProxyVariable,
  overTls: boolean,
  noProxy?: 'no_proxy' | 'NO_PROXY'
): FaultRow {
  const bypassed = noProxy !== undefined;
  return {
    readme: bypassed
      ? 'is listed in `no_proxy`'
      : 'is reached through `https_proxy` or `http_proxy`',
    name: bypassed
      ? `${variable} set, the host listed in ${noProxy}: the request goes direct`
      : `${variable}: the ${overTls ? 'https' : 'http'} request goes through the proxy`,
    controlService: () => ({ responses: [executionList([OLDER])] }),
    controlServiceTls: overTls,
    controlServiceByHostName: true,
    trustTestCa: overTls,
    proxy: noProxy ? { variable, noProxy } : { variable },
    accessToken: ACCESS_TOKEN,
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 1,
      proxiedToControlService: bypassed ? 0 : 1,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService, hostName }, expect) => {
      const [request] = controlService!.requests;
      // The service is addressed by its name, with the token, either way.
      expect(request!.headers.host).toBe(`${hostName}:${controlService!.port}`);
      expect(request!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    }
  };
}

const FAULT_MATRIX: FaultRow[] = [
  // Retries and Retry-After.
  {
    name: '503, then the list: retried, decided on the list',
    readme: 'answers 503, then the list',
    controlService: () => ({
      responses: [serverError(503), executionList([OLDER])]
    }),
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    }
  },
  {
    name: '503 every time, on-error proceed: goes ahead with a warning',
    readme: 'answers 503 every time',
    controlService: () => ({ responses: [serverError(503)] }),
    inputs: { 'http-retries': '1', 'on-error': 'proceed' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: ['HTTP 503', 'Stand-in answers 503 on purpose']
      },
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    }
  },
  {
    name: '503 every time, on-error skip: stands aside with a warning',
    readme: 'answers 503 every time',
    controlService: () => ({ responses: [serverError(503)] }),
    inputs: { 'http-retries': '1', 'on-error': 'skip' },
    expected: {
      outputs: (run) => checkFailedStandingAside(defaultTerminationPath(run)),
      annotation: { kind: 'warning', says: ['HTTP 503'] },
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    },
    alsoCheck: ({ run }, expect) => {
      expect(readFileSync(defaultTerminationPath(run), 'utf8')).toBe(
        expectedTerminationMessage()
      );
    }
  },
  {
    name: '503 every time, on-error fail: the step fails',
    readme: 'answers 503 every time',
    controlService: () => ({ responses: [serverError(503)] }),
    inputs: { 'http-retries': '1', 'on-error': 'fail' },
    expected: {
      outputs: { reason: 'check-failed' },
      annotation: { kind: 'error', says: ['HTTP 503'] },
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    }
  },
  {
    name: '429 with Retry-After: 1, then the list: waits the second asked for',
    readme: 'answers 429, then the list',
    controlService: () => ({
      responses: [
        { ...serverError(429), headers: { 'retry-after': '1' } },
        executionList([OLDER])
      ]
    }),
    inputs: { 'http-retries': '1' },
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService }, expect) => {
      // The backoff alone would wait at most 0.5 s before the first retry.
      expect(gapMs(controlService!.requests)).toBeGreaterThanOrEqual(900);
    }
  },
  {
    name: '429 with Retry-After as an HTTP date, then the list: waits until then',
    readme: 'answers 429, then the list',
    controlService: () => ({
      handler: (_request, index): CannedResponse =>
        index === 0
          ? {
              ...serverError(429),
              // Whole seconds: the wait is between one and two seconds.
              headers: {
                'retry-after': new Date(Date.now() + 2_000).toUTCString()
              }
            }
          : executionList([])
    }),
    inputs: { 'http-retries': '1' },
    expected: {
      outputs: wentAhead(),
      annotation: 'none',
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService }, expect) => {
      expect(gapMs(controlService!.requests)).toBeGreaterThanOrEqual(900);
    }
  },
  {
    name: '429 every time: a warning after the retries',
    readme: 'answers 429 every time',
    controlService: () => ({
      responses: [{ ...serverError(429), headers: { 'retry-after': '0' } }]
    }),
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['HTTP 429'] },
      controlServiceRequests: 3,
      maxDurationMs: 15_000
    }
  },
  {
    name: '401: not retried, a warning naming the status and the reason',
    readme: 'answers 401 or 404',
    controlService: () => ({
      responses: [
        jsonResponse({ what: 'Unauthorized', why: 'The token expired' }, 401)
      ]
    }),
    accessToken: ACCESS_TOKEN,
    inputs: { 'http-retries': '3' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: ['HTTP 401', 'The token expired']
      },
      controlServiceRequests: 1,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    }
  },
  {
    name: '404: not retried, a warning naming the status and the job',
    readme: 'answers 401 or 404',
    controlService: () => ({
      responses: [
        jsonResponse({ messages: [`Data job ${JOB_NAME} not found`] }, 404)
      ]
    }),
    inputs: { 'http-retries': '3' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: ['HTTP 404', `Data job ${JOB_NAME} not found`]
      },
      controlServiceRequests: 1,
      maxDurationMs: 15_000
    }
  },

  // Redirects.
  {
    name: '302 to an HTML login page on the same host: check-failed, never "nothing running"',
    readme: 'redirects to a login page that answers HTML',
    controlService: () => ({ handler: loginPageRedirect }),
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: [/HTML/] },
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService }, expect) => {
      expect(controlService!.requests.map((request) => request.rawUrl)).toEqual(
        [expect.stringMatching(/\/executions\?/), '/login']
      );
    }
  },
  {
    name: 'redirect to another host name on the same port: followed without Authorization',
    readme: 'redirects to another host or port',
    controlService: ({ hostName }) => ({
      handler: (request): CannedResponse => {
        const host = request.headers.host ?? '';
        if (host.startsWith(`${hostName}:`)) return executionList([OLDER]);
        const port = host.slice(host.lastIndexOf(':') + 1);
        return {
          status: 302,
          headers: { location: `http://${hostName}:${port}${request.rawUrl}` }
        };
      }
    }),
    accessToken: ACCESS_TOKEN,
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 2,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService, hostName }, expect) => {
      const [first, second] = controlService!.requests;
      expect(first!.headers.host).toBe(`127.0.0.1:${controlService!.port}`);
      expect(first!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(second!.headers.host).toBe(`${hostName}:${controlService!.port}`);
      expect(second!.headers).not.toHaveProperty('authorization');
    }
  },
  {
    name: 'redirect to another port: followed without Authorization',
    readme: 'redirects to another host or port',
    controlService: ({ elsewhereUrl }) => ({
      handler: (request): CannedResponse => ({
        status: 307,
        headers: { location: `${elsewhereUrl}${request.rawUrl}` }
      })
    }),
    elsewhere: { responses: [executionList([])] },
    accessToken: ACCESS_TOKEN,
    expected: {
      outputs: wentAhead(),
      annotation: 'none',
      controlServiceRequests: 1,
      elsewhereRequests: 1,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService }, expect) => {
      expect(controlService!.requests[0]!.headers.authorization).toBe(
        `Bearer ${ACCESS_TOKEN}`
      );
    }
  },
  {
    name: 'redirect from https to http: refused, not followed',
    readme: 'redirects from https to http',
    controlService: ({ elsewhereUrl }) => ({
      handler: (request): CannedResponse => ({
        status: 302,
        headers: { location: `${elsewhereUrl}${request.rawUrl}` }
      })
    }),
    controlServiceTls: true,
    trustTestCa: true,
    elsewhere: { responses: [executionList([])] },
    accessToken: ACCESS_TOKEN,
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: [/https/, /refused/] },
      controlServiceRequests: 1,
      elsewhereRequests: 0,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    }
  },

  {
    name: 'redirect from http to https: followed, with a client that speaks TLS',
    readme: 'redirects from http to https',
    controlService: ({ elsewhereUrl }) => ({
      handler: (request): CannedResponse => ({
        status: 301,
        headers: { location: `${elsewhereUrl}${request.rawUrl}` }
      })
    }),
    elsewhere: { responses: [executionList([OLDER])] },
    elsewhereTls: true,
    trustTestCa: true,
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 1,
      elsewhereRequests: 1,
      maxDurationMs: 15_000
    }
  },

  // Deadlines.
  {
    name: 'headers, then one byte a second forever (timeout 2, retries 0): cut off at the deadline',
    readme: 'sends headers, then one byte a second',
    controlService: () => ({
      responses: [{ ...executionList([]), trickleEveryMs: 1_000 }]
    }),
    inputs: { 'http-timeout-seconds': '2', 'http-retries': '0' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['within 2 s'] },
      controlServiceRequests: 1,
      maxDurationMs: 2_000 + PROCESS_ALLOWANCE_MS
    },
    alsoCheck: ({ run }, expect) => {
      // Given its whole deadline: the trickle kept the socket busy.
      expect(run.durationMs).toBeGreaterThanOrEqual(1_800);
    }
  },
  {
    name: 'never answers (timeout 1, retries 2): ends within the README worst case',
    readme: 'never answers',
    controlService: () => ({ responses: [{ neverAnswer: true }] }),
    inputs: { 'http-timeout-seconds': '1', 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['within 1 s'] },
      controlServiceRequests: 3,
      // Three one-second attempts and backoffs of at most 0.5 and 1 s.
      maxDurationMs: 4_500 + PROCESS_ALLOWANCE_MS
    },
    alsoCheck: ({ run, controlService }, expect) => {
      const readme = readFileSync(
        path.join(repositoryRoot, 'README.md'),
        'utf8'
      );
      expect(readme).toContain(README_WORST_CASE_FORMULA);
      expect(run.durationMs).toBeLessThanOrEqual(
        worstCaseMs(1, 2, 1) + PROCESS_ALLOWANCE_MS
      );
      // Each attempt waited out its whole second before the next began.
      const requests = controlService!.requests;
      expect(gapMs(requests.slice(0, 2))).toBeGreaterThanOrEqual(900);
      expect(gapMs(requests.slice(1, 3))).toBeGreaterThanOrEqual(900);
    }
  },
  {
    name: 'Retry-After: 3600, then never answers (timeout 1, retries 1): the README worst case, reached and not exceeded',
    readme: 'asks for a longer `Retry-After` than 30 s',
    controlService: () => ({
      responses: [
        { ...serverError(503), headers: { 'retry-after': '3600' } },
        { neverAnswer: true }
      ]
    }),
    inputs: { 'http-timeout-seconds': '1', 'http-retries': '1' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['within 1 s'] },
      controlServiceRequests: 2,
      maxDurationMs: worstCaseMs(1, 1, 1) + PROCESS_ALLOWANCE_MS
    },
    alsoCheck: ({ controlService }, expect) => {
      // The hour asked for is cut to the 30 s of the formula's 30 × r.
      const gap = gapMs(controlService!.requests);
      expect(gap).toBeGreaterThanOrEqual(29_000);
      expect(gap).toBeLessThan(33_000);
    }
  },
  {
    name: 'authorization server never answers (timeout 1, retries 1): ends within the README worst case, nothing sent to the service',
    readme: '… or never answers',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: { responses: [{ neverAnswer: true }] },
      givenThrough: 'inputs'
    },
    inputs: { 'http-timeout-seconds': '1', 'http-retries': '1' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: [AUTHORIZATION_PATH, 'within 1 s']
      },
      controlServiceRequests: 0,
      authorizationRequests: 2,
      masked: [API_TOKEN],
      maxDurationMs: 2_500 + PROCESS_ALLOWANCE_MS
    },
    alsoCheck: ({ run }, expect) => {
      expect(run.durationMs).toBeLessThanOrEqual(
        worstCaseMs(1, 1, 2) + PROCESS_ALLOWANCE_MS
      );
    }
  },

  // Connections.
  {
    name: 'connection refused (retries 1): retried, then a warning naming ECONNREFUSED',
    readme: 'refuses the connection',
    controlService: 'closed-port',
    inputs: { 'http-retries': '1' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: ['ECONNREFUSED', '2 attempts']
      },
      controlServiceRequests: 0,
      maxDurationMs: 15_000
    }
  },
  {
    name: 'connection reset, then the list: retried, decided on the list',
    readme: 'resets the connection',
    controlService: () => ({
      responses: [{ reset: true }, executionList([OLDER])]
    }),
    inputs: { 'http-retries': '1' },
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    }
  },
  {
    name: 'connection reset every time (retries 1): a warning naming ECONNRESET',
    readme: 'resets the connection',
    controlService: () => ({ responses: [{ reset: true }] }),
    inputs: { 'http-retries': '1' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['ECONNRESET'] },
      controlServiceRequests: 2,
      maxDurationMs: 15_000
    }
  },

  // TLS.
  {
    name: 'certificate from a private CA, NODE_EXTRA_CA_CERTS unset: the TLS error named, one attempt',
    readme: 'has a certificate from a private CA',
    controlService: () => ({ responses: [executionList([])] }),
    controlServiceTls: true,
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        // The server sends its own certificate only, as most do.
        says: ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'NODE_EXTRA_CA_CERTS']
      },
      controlServiceRequests: 0,
      controlServiceConnections: 1,
      maxDurationMs: 15_000
    }
  },
  {
    name: 'certificate from a private CA, NODE_EXTRA_CA_CERTS names it: decided on the list',
    readme: '… and `NODE_EXTRA_CA_CERTS` names that CA',
    controlService: () => ({ responses: [executionList([OLDER])] }),
    controlServiceTls: true,
    trustTestCa: true,
    accessToken: ACCESS_TOKEN,
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 1,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    }
  },

  // Proxies.
  proxyRow('https_proxy', true),
  proxyRow('HTTPS_PROXY', true),
  proxyRow('http_proxy', false),
  proxyRow('HTTP_PROXY', false),
  proxyRow('http_proxy', false, 'no_proxy'),
  proxyRow('HTTPS_PROXY', true, 'NO_PROXY'),
  {
    name: 'never answers, through https_proxy (timeout 1, retries 1): each tunnelled attempt cut off at its deadline',
    readme: 'never answers',
    controlService: () => ({ responses: [{ neverAnswer: true }] }),
    controlServiceTls: true,
    controlServiceByHostName: true,
    trustTestCa: true,
    proxy: { variable: 'https_proxy' },
    inputs: { 'http-timeout-seconds': '1', 'http-retries': '1' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['within 1 s'] },
      controlServiceRequests: 2,
      // A tunnel of its own for each attempt.
      proxiedToControlService: 2,
      maxDurationMs: 2_500 + PROCESS_ALLOWANCE_MS
    },
    alsoCheck: ({ run }, expect) => {
      expect(run.durationMs).toBeLessThanOrEqual(
        worstCaseMs(1, 1, 1) + PROCESS_ALLOWANCE_MS
      );
    }
  },
  {
    name: 'a server that keeps idle connections open, through http_proxy: the process exits at once after deciding',
    readme: 'keeps idle connections open for minutes',
    controlService: () => ({
      responses: [executionList([])],
      keepIdleConnectionsForever: true
    }),
    controlServiceByHostName: true,
    proxy: { variable: 'http_proxy' },
    expected: {
      outputs: wentAhead(),
      annotation: 'none',
      controlServiceRequests: 1,
      proxiedToControlService: 1,
      maxDurationMs: 15_000
    },
    alsoCheck: ({ run, controlService }, expect) => {
      const answeredAt = controlService!.requests[0]!.receivedAtEpochMs;
      expect(run.exitedAtEpochMs - answeredAt).toBeLessThan(3_000);
    }
  },

  // API-token login.
  {
    name: 'the proxy refuses the tunnel (HTTP 403): not retried, the refusal named',
    readme: 'is behind a proxy that refuses the tunnel',
    controlService: () => ({ responses: [executionList([])] }),
    controlServiceByHostName: true,
    proxy: { variable: 'http_proxy' },
    proxyRefusesTunnel: true,
    inputs: { 'http-retries': '3' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: { kind: 'warning', says: ['proxy refused', 'HTTP 403'] },
      controlServiceRequests: 0,
      maxDurationMs: 15_000
    },
    alsoCheck: ({ proxy }, expect) => {
      expect(proxy?.requests).toHaveLength(1);
      expect(proxy?.requests[0]?.forwarded).toBe(false);
    }
  },
  {
    name: 'API-token login through the inputs: the access token is the bearer token',
    readme: 'needs API-token login and the exchange works',
    controlService: () => ({ responses: [executionList([OLDER])] }),
    login: {
      authorizationServer: { responses: [tokenAnswer] },
      givenThrough: 'inputs'
    },
    expected: {
      outputs: (run) => stoodAsideFor(OLDER.id!, defaultTerminationPath(run)),
      annotation: 'none',
      controlServiceRequests: 1,
      authorizationRequests: 1,
      masked: [API_TOKEN, ACCESS_TOKEN],
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService, authorizationServer }, expect) => {
      const [exchange] = authorizationServer!.requests;
      expect(exchange!.method).toBe('POST');
      expect(exchange!.rawUrl).toBe(AUTHORIZATION_PATH);
      expect(exchange!.headers['content-type']).toMatch(
        /^application\/x-www-form-urlencoded\b/
      );
      expect(exchange!.headers.accept).toMatch(/application\/json/);
      expect(exchange!.body).toBe(EXCHANGE_BODY);
      expect([...new URLSearchParams(exchange!.body)]).toEqual([
        ['grant_type', 'refresh_token'],
        ['refresh_token', API_TOKEN]
      ]);
      expect(controlService!.requests[0]!.headers.authorization).toBe(
        `Bearer ${ACCESS_TOKEN}`
      );
    }
  },
  {
    name: 'API-token login through VDK_API_TOKEN and VDK_API_TOKEN_AUTHORIZATION_URL',
    readme: 'needs API-token login and the exchange works',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: { responses: [tokenAnswer] },
      givenThrough: 'environment'
    },
    expected: {
      outputs: wentAhead(),
      annotation: 'none',
      controlServiceRequests: 1,
      authorizationRequests: 1,
      masked: [API_TOKEN, ACCESS_TOKEN],
      maxDurationMs: 15_000
    },
    alsoCheck: ({ controlService, authorizationServer }, expect) => {
      expect(authorizationServer!.requests[0]!.body).toBe(EXCHANGE_BODY);
      expect(controlService!.requests[0]!.headers.authorization).toBe(
        `Bearer ${ACCESS_TOKEN}`
      );
    }
  },
  {
    name: 'API-token login, the authorization server answers 503 once: the exchange is retried',
    readme: 'needs API-token login and the exchange works',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: { responses: [serverError(503), tokenAnswer] },
      givenThrough: 'inputs'
    },
    inputs: { 'http-retries': '1' },
    expected: {
      outputs: wentAhead(),
      annotation: 'none',
      controlServiceRequests: 1,
      authorizationRequests: 2,
      masked: [API_TOKEN, ACCESS_TOKEN],
      maxDurationMs: 15_000
    }
  },
  {
    name: 'API-token refused (400 invalid_grant): check-failed naming status and error, nothing sent to the service',
    readme: '… and the authorization server refuses (`invalid_grant`)',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: {
        responses: [
          jsonResponse(
            {
              error: 'invalid_grant',
              error_description: 'Token is not active'
            },
            400
          )
        ]
      },
      givenThrough: 'inputs'
    },
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: [
          'authorization server',
          'HTTP 400',
          'invalid_grant',
          'Token is not active'
        ]
      },
      controlServiceRequests: 0,
      authorizationRequests: 1,
      masked: [API_TOKEN],
      maxDurationMs: 15_000
    }
  },
  {
    name: 'API-token refused under on-error fail: the step fails, nothing sent to the service',
    readme: '… and the authorization server refuses (`invalid_grant`)',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: {
        responses: [jsonResponse({ error: 'invalid_client' }, 401)]
      },
      givenThrough: 'inputs'
    },
    inputs: { 'on-error': 'fail' },
    expected: {
      outputs: { reason: 'check-failed' },
      annotation: {
        kind: 'error',
        says: ['authorization server', 'HTTP 401', 'invalid_client']
      },
      controlServiceRequests: 0,
      authorizationRequests: 1,
      masked: [API_TOKEN],
      maxDurationMs: 15_000
    }
  },
  {
    name: 'API-token exchange answers 200 without access_token: check-failed, nothing sent to the service',
    readme: '… or answers 200 without `access_token`, or not JSON',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: {
        responses: [jsonResponse({ token_type: 'bearer', expires_in: 3600 })]
      },
      givenThrough: 'inputs'
    },
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: ['authorization server', 'HTTP 200', 'access_token']
      },
      controlServiceRequests: 0,
      authorizationRequests: 1,
      masked: [API_TOKEN],
      maxDurationMs: 15_000
    }
  },
  {
    name: 'API-token exchange answers a page that is not JSON: check-failed, nothing sent to the service',
    readme: '… or answers 200 without `access_token`, or not JSON',
    controlService: () => ({ responses: [executionList([])] }),
    login: {
      authorizationServer: {
        responses: [
          {
            headers: { 'content-type': 'text/html; charset=utf-8' },
            body: LOGIN_PAGE
          }
        ]
      },
      givenThrough: 'inputs'
    },
    inputs: { 'http-retries': '2' },
    expected: {
      outputs: checkFailedGoingAhead(),
      annotation: {
        kind: 'warning',
        says: ['authorization server', 'HTTP 200']
      },
      controlServiceRequests: 0,
      authorizationRequests: 1,
      masked: [API_TOKEN],
      maxDurationMs: 15_000
    }
  },

  // Exit.
  {
    name: 'a server that keeps idle connections open for good: the process exits at once after deciding',
    readme: 'keeps idle connections open for minutes',
    controlService: () => ({
      responses: [executionList([])],
      keepIdleConnectionsForever: true
    }),
    accessToken: ACCESS_TOKEN,
    expected: {
      outputs: wentAhead(),
      annotation: 'none',
      controlServiceRequests: 1,
      masked: [ACCESS_TOKEN],
      maxDurationMs: 15_000
    },
    alsoCheck: ({ run, controlService }, expect) => {
      const answeredAt = controlService!.requests[0]!.receivedAtEpochMs;
      // "Within a second of deciding", with room for a busy machine.
      expect(run.exitedAtEpochMs - answeredAt).toBeLessThan(3_000);
    }
  }
];

/** A port on 127.0.0.1 where nothing listens any more. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let certificates: TestCertificates | undefined;
let hostName = '';
/** The X-OPID of every run so far, to show that no two runs share one. */
const operationIds: string[] = [];

beforeAll(async () => {
  hostName = localNonLoopbackHostName();
  certificates = await createTestCertificates(hostName);
});

afterAll(async () => {
  if (certificates) await removeTestCertificates(certificates);
  await removeRunDirectories();
});

/** Starts the row's servers, runs the action, and always stops them. */
async function runRow(row: FaultRow, node: NodeBinary): Promise<Observed> {
  if (!certificates) throw new Error('The test CA was not created.');
  const tls = {
    key: certificates.serverKeyPem,
    cert: certificates.serverCertificatePem
  };
  const started: { close(): Promise<void> }[] = [];
  const start = async (
    options: StandInOptions
  ): Promise<StandInControlService> => {
    const server = await StandInControlService.start(options);
    started.push(server);
    return server;
  };
  try {
    const elsewhere = row.elsewhere
      ? await start(
          row.elsewhereTls ? { ...row.elsewhere, tls } : row.elsewhere
        )
      : null;
    const peers: Peers = {
      hostName,
      elsewhereUrl: elsewhere?.baseUrl ?? ''
    };
    let controlService: StandInControlService | null = null;
    let apiUrl: string;
    if (row.controlService === 'closed-port') {
      apiUrl = `http://127.0.0.1:${await closedPort()}`;
    } else {
      const options = row.controlService(peers);
      controlService = await start(
        row.controlServiceTls ? { ...options, tls } : options
      );
      apiUrl = controlService.urlFor(
        row.controlServiceByHostName ? hostName : '127.0.0.1'
      );
    }
    const authorizationServer = row.login
      ? await start(row.login.authorizationServer)
      : null;
    const env: Record<string, string> = {};
    let proxy: ForwardProxy | null = null;
    if (row.proxy) {
      proxy = await ForwardProxy.start();
      started.push(proxy);
      if (controlService && !row.proxyRefusesTunnel) {
        proxy.allow(hostName, controlService.port);
      }
      env[row.proxy.variable] = proxy.url;
      if (row.proxy.noProxy) env[row.proxy.noProxy] = hostName;
    }
    if (row.trustTestCa)
      env['NODE_EXTRA_CA_CERTS'] = certificates.caCertificatePath;
    const inputs: Record<string, string> = {
      'job-name': JOB_NAME,
      team: TEAM,
      'api-url': apiUrl,
      // Short enough that a row gone wrong still ends soon.
      'http-timeout-seconds': '10',
      'http-retries': '1',
      ...(row.accessToken ? { 'api-token': row.accessToken } : {}),
      ...(row.inputs ?? {})
    };
    if (row.login && authorizationServer) {
      const authorizationUrl = `${authorizationServer.baseUrl}${AUTHORIZATION_PATH}`;
      if (row.login.givenThrough === 'inputs') {
        inputs['api-token'] = API_TOKEN;
        inputs['api-token-authorization-url'] = authorizationUrl;
      } else {
        env['VDK_API_TOKEN'] = API_TOKEN;
        env['VDK_API_TOKEN_AUTHORIZATION_URL'] = authorizationUrl;
      }
    }
    const run = await runAction({
      node,
      inputs,
      env,
      killAfterMs: row.expected.maxDurationMs + PROCESS_ALLOWANCE_MS
    });
    return {
      run,
      controlService,
      elsewhere,
      authorizationServer,
      proxy,
      hostName
    };
  } finally {
    await Promise.all(started.map((server) => server.close()));
  }
}

function matchesAll(
  expect: ExpectStatic,
  message: string | undefined,
  says: (string | RegExp)[]
): void {
  expect(message).toBeDefined();
  for (const expected of says) {
    if (typeof expected === 'string') expect(message).toContain(expected);
    else expect(message).toMatch(expected);
  }
}

/** The row's own expectations. */
function checkExpected(
  row: FaultRow,
  observed: Observed,
  expect: ExpectStatic
): void {
  const { run } = observed;
  const { expected } = row;
  const failsStep =
    expected.annotation !== 'none' && expected.annotation.kind === 'error';
  expect(run.killed, describeRun(run)).toBe(false);
  expect(run.exitCode, describeRun(run)).toBe(failsStep ? 1 : 0);
  expect(run.outputs, describeRun(run)).toEqual(
    typeof expected.outputs === 'function'
      ? expected.outputs(run)
      : expected.outputs
  );
  if (expected.annotation === 'none') {
    expect(run.warnings).toEqual([]);
    expect(run.errors).toEqual([]);
  } else if (expected.annotation.kind === 'warning') {
    expect(run.errors).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    matchesAll(expect, run.warnings[0], expected.annotation.says);
  } else {
    expect(run.warnings).toEqual([]);
    expect(run.errors).toHaveLength(1);
    matchesAll(expect, run.errors[0], expected.annotation.says);
  }
  expect(observed.controlService?.requests.length ?? 0).toBe(
    expected.controlServiceRequests
  );
  if (expected.controlServiceConnections !== undefined) {
    expect(observed.controlService?.connectionCount).toBe(
      expected.controlServiceConnections
    );
  }
  if (expected.elsewhereRequests !== undefined) {
    expect(observed.elsewhere?.requests.length).toBe(
      expected.elsewhereRequests
    );
  }
  if (expected.authorizationRequests !== undefined) {
    expect(observed.authorizationServer?.requests.length).toBe(
      expected.authorizationRequests
    );
  }
  if (expected.proxiedToControlService !== undefined) {
    const port = observed.controlService?.port;
    expect(observed.proxy?.requests).toEqual(
      Array.from({ length: expected.proxiedToControlService }, () => ({
        method: 'CONNECT',
        target: `${observed.hostName}:${port}`,
        forwarded: true
      }))
    );
  }
  for (const value of expected.masked ?? []) {
    expect(run.masks).toContain(value);
  }
  expect(run.durationMs).toBeLessThan(expected.maxDurationMs);
}

/** What every run must show, whatever the row. */
function checkEveryRun(observed: Observed, expect: ExpectStatic): void {
  const { run } = observed;
  const opidLines = run.stdout
    .split('\n')
    .filter((line) => line.includes('X-OPID'));
  expect(opidLines, 'a log line names the X-OPID').not.toEqual([]);
  const operationId = /\b[0-9a-f]{16}\b/.exec(opidLines[0] ?? '')?.[0];
  expect(operationId, opidLines[0]).toMatch(/^[0-9a-f]{16}$/);
  // Runs of all rows and both Nodes share this list: no id may repeat.
  expect(operationIds).not.toContain(operationId);
  operationIds.push(operationId ?? '');
  const received = [
    ...(observed.authorizationServer?.requests ?? []),
    ...(observed.controlService?.requests ?? []),
    ...(observed.elsewhere?.requests ?? [])
  ];
  for (const request of received) {
    expect(request.headers['x-opid']).toBe(operationId);
    expect(request.headers['user-agent']).toMatch(
      new RegExp(
        `^vdk-execution-skip/${packageVersion().replace(/\./g, '\\.')}\\b`
      )
    );
  }
  // The API token goes to the authorization server alone.
  for (const request of [
    ...(observed.controlService?.requests ?? []),
    ...(observed.elsewhere?.requests ?? [])
  ]) {
    const sent = JSON.stringify([
      request.rawUrl,
      request.headers,
      request.body
    ]);
    expect(sent).not.toContain(API_TOKEN);
    expect(sent).not.toContain(encodeURIComponent(API_TOKEN));
  }
  for (const request of observed.elsewhere?.requests ?? []) {
    expect(request.headers).not.toHaveProperty('authorization');
  }
  for (const secret of [API_TOKEN, ACCESS_TOKEN]) {
    expect(linesRevealing(run, secret)).toEqual([]);
  }
}

/** First cells of the README's "What happens when…" table. */
function readmeFaultRows(): string[] {
  const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('### What happens when');
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('| the service'));
  const rows: string[] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|')[1]?.trim() ?? '');
  }
  return rows;
}

test("the README's table has the matrix's rows, no more, no fewer", () => {
  const documented = readmeFaultRows();
  expect(documented.length).toBeGreaterThan(0);
  expect(new Set(documented)).toEqual(
    new Set(FAULT_MATRIX.map((row) => row.readme))
  );
});

// Concurrent across both Nodes too, so that the slow rows overlap.
describe.concurrent.each(nodeBinaries())('fault matrix on $label', (node) => {
  describe('each row', () => {
    test.for(FAULT_MATRIX)('$name', async (row, { expect }) => {
      const observed = await runRow(row, node);
      checkExpected(row, observed, expect);
      checkEveryRun(observed, expect);
      row.alsoCheck?.(observed, expect);
    });
  });
});
