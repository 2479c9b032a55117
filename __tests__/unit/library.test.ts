import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckFailedError,
  ConcurrentExecutionChecker,
  ConfigurationError,
  decide,
  toExecutions,
  type Logger
} from '../../src/lib.js';
import {
  EXECUTIONS_PATH,
  JOB_NAME,
  TEAM,
  packageVersion
} from '../support/scenario.js';
import {
  StandInControlService,
  buildExecution,
  executionList,
  jsonResponse,
  serverError,
  type StandInOptions
} from '../support/stand-in-control-service.js';

const THIS_SERVICE_ID = 'ingest-sales-1764835200';
const THIS_POD_ID = `${THIS_SERVICE_ID}-x7k2p`;

const older = buildExecution({
  id: 'ingest-sales-1764831600',
  start_time: '2025-12-04T07:00:00Z'
});
const self = buildExecution({
  id: THIS_SERVICE_ID,
  start_time: '2025-12-04T08:00:00Z'
});
const newer = buildExecution({
  id: 'ingest-sales-1764838800',
  status: 'submitted',
  start_time: '2025-12-04T09:00:00Z'
});

/** A VDK API token: an OAuth2 refresh token with form-unsafe characters. */
const API_TOKEN = 'vdk-api.refresh+token/part2==&scope=all';
const ACCESS_TOKEN = 'library-access-token-7f3a';

// Small bounds, so that a failing test ends quickly instead of retrying.
const FAST = { httpTimeoutSeconds: 5, httpRetries: 0 };

const startedServices: StandInControlService[] = [];

async function startService(
  options: StandInOptions
): Promise<StandInControlService> {
  const service = await StandInControlService.start(options);
  startedServices.push(service);
  return service;
}

afterEach(async () => {
  await Promise.all(
    startedServices.splice(0).map((service) => service.close())
  );
});

interface RecordingLogger extends Logger {
  lines: string[];
  masked: string[];
}

function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const masked: string[] = [];
  return {
    lines,
    masked,
    info: (message) => lines.push(message),
    debug: (message) => lines.push(message),
    warning: (message) => lines.push(message),
    mask: (secret) => masked.push(secret)
  };
}

describe('ConcurrentExecutionChecker', () => {
  it('isJobExecutionRunning is true when an older execution is active', async () => {
    const service = await startService({
      responses: [executionList([self, older])]
    });
    const checker = new ConcurrentExecutionChecker(service.baseUrl, FAST);
    await expect(
      checker.isJobExecutionRunning(JOB_NAME, TEAM, THIS_POD_ID)
    ).resolves.toBe(true);
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0]!.rawUrl).toBe(
      `${EXECUTIONS_PATH}?execution_status=submitted&execution_status=running`
    );
  });

  it('isJobExecutionRunning is false when this run is the oldest, or nothing is active', async () => {
    const service = await startService({
      responses: [executionList([newer, self]), executionList([])]
    });
    const checker = new ConcurrentExecutionChecker(
      new URL(service.baseUrl),
      FAST
    );
    await expect(
      checker.isJobExecutionRunning(JOB_NAME, TEAM, THIS_POD_ID)
    ).resolves.toBe(false);
    await expect(checker.isJobExecutionRunning(JOB_NAME, TEAM)).resolves.toBe(
      false
    );
    expect(service.requests).toHaveLength(2);
  });

  it('check() resolves to the whole decision', async () => {
    const service = await startService({
      responses: [executionList([newer, self, older])]
    });
    const logger = recordingLogger();
    const checker = new ConcurrentExecutionChecker(service.baseUrl, {
      ...FAST,
      logger
    });
    const result = await checker.check(JOB_NAME, TEAM, THIS_POD_ID);
    expect(result.skip).toBe(true);
    expect(result.reason).toBe('other-execution-running');
    expect(result.blocking?.id).toBe(older.id);
    expect(result.thisExecution?.id).toBe(THIS_SERVICE_ID);
    expect(result.active.map((execution) => execution.id)).toEqual([
      older.id,
      THIS_SERVICE_ID,
      newer.id
    ]);
    expect(result.active[2]).toEqual({
      id: newer.id,
      status: 'submitted',
      startTime: '2025-12-04T09:00:00Z',
      type: 'scheduled',
      startedBy: 'scheduled/runtime',
      logsUrl: null
    });
    expect(result.polls).toBe(1);
    expect(result.waitedSeconds).toBe(0);
    expect(result.operationId).toMatch(/^[0-9a-f]{16}$/);
    const [request] = service.requests;
    expect(request!.headers['x-opid']).toBe(result.operationId);
    expect(request!.headers['user-agent']).toContain(
      `vdk-execution-skip/${packageVersion()}`
    );
    expect(request!.headers).not.toHaveProperty('authorization');
    // The caller's logger hears what was decided.
    expect(logger.lines.join('\n')).toContain(older.id!);
  });

  it('check() with wait options asks again until the older execution ends', async () => {
    const service = await startService({
      handler: (_, index) =>
        index === 0
          ? executionList([self, older])
          : executionList([self, { ...older, status: 'succeeded' }])
    });
    const checker = new ConcurrentExecutionChecker(service.baseUrl, FAST);
    const result = await checker.check(JOB_NAME, TEAM, THIS_POD_ID, {
      timeoutSeconds: 10,
      pollIntervalSeconds: 1
    });
    expect(result.skip).toBe(false);
    expect(result.reason).toBe('no-other-execution');
    expect(result.polls).toBe(2);
    expect(result.waitedSeconds).toBeGreaterThanOrEqual(0.9);
    expect(service.requests).toHaveLength(2);
  });

  it('check() takes either wait option alone; the other keeps its default', async () => {
    const service = await startService({
      responses: [executionList([self, older])]
    });
    const logger = recordingLogger();
    const checker = new ConcurrentExecutionChecker(service.baseUrl, {
      ...FAST,
      logger
    });
    // No timeout: decided at once, without a poll interval.
    const atOnce = await checker.check(JOB_NAME, TEAM, THIS_POD_ID, {
      pollIntervalSeconds: 1
    });
    expect(atOnce.skip).toBe(true);
    expect(atOnce.polls).toBe(1);
    // A timeout shorter than the default interval of 15 s: one question,
    // since the next one would come after the wait is over.
    const shortWait = await checker.check(JOB_NAME, TEAM, THIS_POD_ID, {
      timeoutSeconds: 5
    });
    expect(shortWait.skip).toBe(true);
    expect(shortWait.polls).toBe(1);
    expect(service.requests).toHaveLength(2);
  });

  it('check() from JavaScript: null wait options decide at once, a string is shown as one', async () => {
    const service = await startService({
      responses: [executionList([self, older])]
    });
    const checker = new ConcurrentExecutionChecker(service.baseUrl, FAST);
    // What a caller without types may pass.
    const checkUntyped = checker.check.bind(checker) as (
      ...args: unknown[]
    ) => Promise<{ skip: boolean; polls: number }>;
    const atOnce = await checkUntyped(JOB_NAME, TEAM, THIS_POD_ID, null);
    expect(atOnce.skip).toBe(true);
    expect(atOnce.polls).toBe(1);
    const refused = checkUntyped(JOB_NAME, TEAM, THIS_POD_ID, {
      timeoutSeconds: '5'
    });
    await expect(refused).rejects.toBeInstanceOf(ConfigurationError);
    await expect(refused).rejects.toThrow('timeoutSeconds is "5"');
    await expect(
      checkUntyped(JOB_NAME, TEAM, THIS_POD_ID, { timeoutSeconds: 5n })
    ).rejects.toThrow('timeoutSeconds is of type bigint');
    for (const [wait, says] of [
      [60, 'of type number'],
      [[60, 15], 'a list']
    ] as const) {
      const bare = checkUntyped(JOB_NAME, TEAM, THIS_POD_ID, wait);
      await expect(bare).rejects.toBeInstanceOf(ConfigurationError);
      await expect(bare).rejects.toThrow(`The wait options are ${says}`);
    }
    expect(service.requests).toHaveLength(1);
  });

  it('sends a given access token as it is when no authorization URL is set', async () => {
    const service = await startService({ responses: [executionList([])] });
    const logger = recordingLogger();
    const checker = new ConcurrentExecutionChecker(service.baseUrl, {
      ...FAST,
      apiToken: ACCESS_TOKEN,
      logger
    });
    await checker.isJobExecutionRunning(JOB_NAME, TEAM, THIS_POD_ID);
    expect(service.requests[0]!.headers.authorization).toBe(
      `Bearer ${ACCESS_TOKEN}`
    );
    expect(logger.masked).toContain(ACCESS_TOKEN);
  });

  it('logs in with an API token once, and sends the access token it gets', async () => {
    const authorizationServer = await startService({
      responses: [
        jsonResponse({
          access_token: ACCESS_TOKEN,
          token_type: 'bearer',
          expires_in: 3600
        })
      ]
    });
    const service = await startService({
      responses: [executionList([self, older])]
    });
    const logger = recordingLogger();
    const checker = new ConcurrentExecutionChecker(service.baseUrl, {
      ...FAST,
      apiToken: API_TOKEN,
      apiTokenAuthorizationUrl: new URL(
        `${authorizationServer.baseUrl}/oauth/token`
      ),
      logger
    });
    await expect(
      checker.isJobExecutionRunning(JOB_NAME, TEAM, THIS_POD_ID)
    ).resolves.toBe(true);
    await expect(
      checker.isJobExecutionRunning(JOB_NAME, TEAM, THIS_POD_ID)
    ).resolves.toBe(true);

    expect(authorizationServer.requests).toHaveLength(1);
    const [exchange] = authorizationServer.requests;
    expect(exchange!.method).toBe('POST');
    expect(exchange!.rawUrl).toBe('/oauth/token');
    expect([...new URLSearchParams(exchange!.body)]).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', API_TOKEN]
    ]);
    expect(service.requests).toHaveLength(2);
    for (const request of service.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    }
    expect(logger.masked).toEqual(
      expect.arrayContaining([API_TOKEN, ACCESS_TOKEN])
    );
    for (const line of logger.lines) {
      expect(line).not.toContain(API_TOKEN);
      expect(line).not.toContain(ACCESS_TOKEN);
    }
  });

  it.each([
    ['not a URL', 'control-service.example'],
    ['another scheme', 'ftp://127.0.0.1/control'],
    ['credentials in the URL', 'http://user:secret@127.0.0.1/control'],
    ['a query', 'http://127.0.0.1/control?team=x']
  ])('a bad API URL (%s) throws ConfigurationError', (_, apiUrl) => {
    expect(() => new ConcurrentExecutionChecker(apiUrl)).toThrow(
      ConfigurationError
    );
  });

  it.each([
    [{ httpTimeoutSeconds: 0 }, 'httpTimeoutSeconds'],
    [{ httpTimeoutSeconds: Number.NaN }, 'httpTimeoutSeconds'],
    [{ httpRetries: -1 }, 'httpRetries'],
    [{ httpRetries: 1.5 }, 'httpRetries']
  ])('refuses options %o out of range', (options, name) => {
    expect(
      () => new ConcurrentExecutionChecker('http://127.0.0.1:1', options)
    ).toThrow(new RegExp(name));
  });

  it.each([
    [{ timeoutSeconds: 2, pollIntervalSeconds: 0 }, 'pollIntervalSeconds'],
    [{ timeoutSeconds: -1, pollIntervalSeconds: 1 }, 'timeoutSeconds']
  ])('refuses wait options %o before any request', async (wait, name) => {
    const checker = new ConcurrentExecutionChecker('http://127.0.0.1:1');
    const checking = checker.check('ingest-sales', 'sales', '', wait);
    await expect(checking).rejects.toBeInstanceOf(ConfigurationError);
    await expect(checking).rejects.toThrow(new RegExp(name));
  });

  it('a 500 answer rejects with CheckFailedError naming the status', async () => {
    const service = await startService({ responses: [serverError(500)] });
    const checker = new ConcurrentExecutionChecker(service.baseUrl, FAST);
    const failure = checker.check(JOB_NAME, TEAM, THIS_POD_ID);
    await expect(failure).rejects.toBeInstanceOf(CheckFailedError);
    await expect(failure).rejects.toThrow(/500/);
    await expect(
      checker.isJobExecutionRunning(JOB_NAME, TEAM, THIS_POD_ID)
    ).rejects.toBeInstanceOf(CheckFailedError);
    expect(service.requests).toHaveLength(2);
  });

  it('a refused API-token exchange rejects with CheckFailedError, nothing sent to the service', async () => {
    const authorizationServer = await startService({
      responses: [
        jsonResponse(
          { error: 'invalid_grant', error_description: 'Token expired' },
          400
        )
      ]
    });
    const service = await startService({ responses: [executionList([])] });
    const checker = new ConcurrentExecutionChecker(service.baseUrl, {
      ...FAST,
      apiToken: API_TOKEN,
      apiTokenAuthorizationUrl: new URL(authorizationServer.baseUrl)
    });
    await expect(checker.isJobExecutionRunning(JOB_NAME, TEAM)).rejects.toThrow(
      CheckFailedError
    );
    expect(service.requests).toHaveLength(0);
  });
});

describe('the pure decision, as the library exports it', () => {
  it('decides on the service’s raw entries', () => {
    const executions = toExecutions([self, older, 'not an execution', null]);
    expect(executions.map((execution) => execution.id)).toEqual([
      THIS_SERVICE_ID,
      older.id
    ]);
    const decision = decide(executions, THIS_POD_ID);
    expect(decision.skip).toBe(true);
    expect(decision.blocking?.id).toBe(older.id);
    expect(decide(executions, older.id!).skip).toBe(false);
  });
});
