import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, test } from 'vitest';
import {
  nodeBinaries,
  readActionInputs,
  repositoryRoot,
  type NodeBinary
} from '../support/run-action.js';
import {
  JOB_NAME,
  TEAM,
  expectedTerminationMessage,
  packageVersion,
  withStandIn
} from '../support/scenario.js';
import {
  buildExecution,
  executionList,
  jsonResponse,
  serverError
} from '../support/stand-in-control-service.js';
import { runToEnd } from '../support/child-process.js';

const cliEntryPoint = path.join(repositoryRoot, 'dist', 'cli', 'index.js');

// The exit codes the issue promises scripts, written out rather than
// imported from src, so that a change there shows up here.
const ExitCode = { GoAhead: 0, CheckFailed: 1, BadUsage: 2, StandAside: 75 };

const THIS_SERVICE_ID = 'ingest-sales-1764835200';
const THIS_POD_ID = `${THIS_SERVICE_ID}-x7k2p`;
const older = buildExecution({
  id: 'ingest-sales-1764831600',
  start_time: '2025-12-04T07:00:00Z',
  logs_url: 'https://logs.example.com/ingest-sales-1764831600'
});
const self = buildExecution({
  id: THIS_SERVICE_ID,
  start_time: '2025-12-04T08:00:00Z'
});
const newer = buildExecution({
  id: 'ingest-sales-1764838800',
  status: 'submitted',
  type: 'manual',
  started_by: 'manual/alice',
  start_time: '2025-12-04T09:00:00Z'
});

const ACCESS_TOKEN = 'cli-access-token-4b1d9e';
const API_TOKEN = 'cli-vdk-api-token+refresh/part2==';
/** A loopback port nothing listens on: a URL that must never be used. */
const UNUSED_URL = 'http://127.0.0.1:9/never-asked';

interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const temporaryFolders: string[] = [];

async function temporaryFolder(): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'vdk-skip-cli-'));
  temporaryFolders.push(folder);
  return folder;
}

/**
 * What a user's shell passes on: a PATH and a HOME, nothing from this test
 * run (no VDK_* variables, no npm_* settings, no node_modules/.bin).
 */
async function userEnvironment(
  more: Record<string, string> = {}
): Promise<Record<string, string>> {
  const pathFolders = (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .filter(
      (folder) =>
        folder !== '' && !folder.split(path.sep).includes('node_modules')
    );
  const home = await temporaryFolder();
  return {
    PATH: pathFolders.join(path.delimiter),
    HOME: home,
    // The default termination message goes to the temp folder: keep each
    // run's apart from the machine's shared one.
    TMPDIR: home,
    ...more
  };
}

/** Runs `command` to its end in `cwd`, with `env` as its whole environment. */
async function spawnAndCollect(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string
): Promise<CliRun> {
  const { exitCode, signal, stdout, stderr } = await runToEnd(command, args, {
    cwd,
    env,
    killAfterMs: 60_000
  });
  return { exitCode, signal, stdout, stderr };
}

/** Runs dist/cli/index.js with `node`, from a folder of its own. */
async function runCli(
  node: NodeBinary,
  args: readonly string[],
  env: Record<string, string> = {}
): Promise<CliRun> {
  return spawnAndCollect(
    node.path,
    [cliEntryPoint, ...args],
    await userEnvironment(env),
    await temporaryFolder()
  );
}

function describeCliRun(run: CliRun): string {
  return [
    `exit code ${String(run.exitCode)}, signal ${String(run.signal)}`,
    `--- stdout ---\n${run.stdout}`,
    `--- stderr ---\n${run.stderr}`
  ].join('\n');
}

/** The flags of a check of JOB_NAME of TEAM at `apiUrl`. */
function checkFlags(apiUrl: string, ...more: string[]): string[] {
  return ['--job-name', JOB_NAME, '--team', TEAM, '--api-url', apiUrl, ...more];
}

/** Standard output of a --json run: exactly one line, one JSON object. */
function parseJsonLine(run: CliRun): Record<string, unknown> {
  const lines = run.stdout.split('\n');
  if (lines.length !== 2 || lines[1] !== '') {
    throw new Error(`Expected one line of JSON.\n${describeCliRun(run)}`);
  }
  const parsed: unknown = JSON.parse(lines[0]!);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Expected a JSON object.\n${describeCliRun(run)}`);
  }
  return parsed as Record<string, unknown>;
}

afterAll(async () => {
  await Promise.all(
    temporaryFolders
      .splice(0)
      .map((folder) => fs.rm(folder, { recursive: true, force: true }))
  );
});

describe.each(nodeBinaries())('the command line on $label', (node) => {
  describe.concurrent('decisions and exit codes', () => {
    test('go ahead: exit 0 and one readable line', async ({ expect }) => {
      await withStandIn(
        { responses: [executionList([newer, self])] },
        async (service) => {
          const run = await runCli(
            node,
            checkFlags(service.baseUrl, '--execution-id', THIS_POD_ID)
          );
          expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
          expect(run.stdout).toBe('go ahead (no-other-execution)\n');
          // Progress goes to standard error, so stdout stays parseable.
          expect(run.stderr).toContain('Decision: go ahead');
          expect(service.requests).toHaveLength(1);
        }
      );
    });

    test('stand aside: exit 75, the blocker named, the termination message written', async ({
      expect
    }) => {
      const terminationPath = path.join(
        await temporaryFolder(),
        'termination-log.json'
      );
      await withStandIn(
        { responses: [executionList([self, older])] },
        async (service) => {
          const run = await runCli(
            node,
            checkFlags(
              service.baseUrl,
              '--execution-id',
              THIS_POD_ID,
              '--termination-message-path',
              terminationPath
            )
          );
          expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.StandAside);
          const lines = run.stdout.split('\n');
          expect(lines).toHaveLength(2);
          expect(lines[0]).toContain('stand aside');
          expect(lines[0]).toContain('other-execution-running');
          expect(lines[0]).toContain(older.id!);
          expect(await fs.readFile(terminationPath, 'utf8')).toBe(
            expectedTerminationMessage()
          );
        }
      );
    });

    test('--json: the decision as one JSON object', async ({ expect }) => {
      const terminationPath = path.join(
        await temporaryFolder(),
        'termination-log.json'
      );
      await withStandIn(
        { responses: [executionList([newer, self, older])] },
        async (service) => {
          const run = await runCli(
            node,
            checkFlags(
              service.baseUrl,
              '--execution-id',
              THIS_POD_ID,
              '--termination-message-path',
              terminationPath,
              '--json'
            )
          );
          expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.StandAside);
          const decision = parseJsonLine(run);
          expect(decision).toEqual({
            skipped: true,
            reason: 'other-execution-running',
            blockingExecutionId: older.id,
            terminationMessagePath: terminationPath,
            problem: '',
            operationId: expect.stringMatching(/^[0-9a-f]{16}$/),
            waitedSeconds: 0,
            polls: 1,
            thisExecutionId: THIS_SERVICE_ID,
            activeExecutions: [older, self, newer].map((execution) => ({
              id: execution.id,
              status: execution.status,
              type: execution.type,
              startTime: execution.start_time,
              startedBy: execution.started_by,
              logsUrl: execution.logs_url
            }))
          });
          // The id to search the service's logs for is the one it was sent.
          expect(service.requests[0]!.headers['x-opid']).toBe(
            decision['operationId']
          );
        }
      );
    });

    test('the check fails under --on-error fail: exit 1, the cause on standard error', async ({
      expect
    }) => {
      await withStandIn({ responses: [serverError(503)] }, async (service) => {
        const flags = checkFlags(
          service.baseUrl,
          '--on-error',
          'fail',
          '--http-retries',
          '0'
        );
        const plain = await runCli(node, flags);
        expect(plain.exitCode, describeCliRun(plain)).toBe(
          ExitCode.CheckFailed
        );
        expect(plain.stdout).toBe('check failed (check-failed)\n');
        expect(plain.stderr).toContain('error: ');
        expect(plain.stderr).toContain('503');

        const json = await runCli(node, [...flags, '--json']);
        expect(json.exitCode, describeCliRun(json)).toBe(ExitCode.CheckFailed);
        const failure = parseJsonLine(json);
        expect(failure['skipped']).toBeNull();
        expect(failure['reason']).toBe('check-failed');
        expect(failure['problem']).toEqual(expect.stringContaining('503'));
        // The same keys as a decided run, and the X-OPID to search logs for.
        expect(Object.keys(failure).sort()).toEqual([
          'activeExecutions',
          'blockingExecutionId',
          'operationId',
          'polls',
          'problem',
          'reason',
          'skipped',
          'terminationMessagePath',
          'thisExecutionId',
          'waitedSeconds'
        ]);
        expect(failure['operationId']).toBe(
          service.requests[1]?.headers['x-opid']
        );
        expect(service.requests).toHaveLength(2);
      });
    });

    test.for([
      ['proceed', ExitCode.GoAhead, 'go ahead'],
      ['skip', ExitCode.StandAside, 'stand aside']
    ] as const)(
      'the check fails under --on-error %s: exit %i',
      async ([onError, exitCode, verdict], { expect }) => {
        await withStandIn(
          { responses: [serverError(503)] },
          async (service) => {
            const run = await runCli(
              node,
              checkFlags(
                service.baseUrl,
                '--on-error',
                onError,
                '--http-retries',
                '0',
                '--termination-message-path',
                path.join(await temporaryFolder(), 'termination-log.json')
              )
            );
            expect(run.exitCode, describeCliRun(run)).toBe(exitCode);
            expect(run.stdout).toBe(`${verdict} (check-failed)\n`);
            expect(run.stderr).toContain('503');
          }
        );
      }
    );

    test('--wait-timeout-seconds waits for the older execution to end', async ({
      expect
    }) => {
      await withStandIn(
        {
          handler: (_, index) =>
            index === 0
              ? executionList([self, older])
              : executionList([self, { ...older, status: 'succeeded' }])
        },
        async (service) => {
          const run = await runCli(
            node,
            checkFlags(
              service.baseUrl,
              '--execution-id',
              THIS_POD_ID,
              '--wait-timeout-seconds',
              '10',
              '--poll-interval-seconds',
              '1',
              '--json'
            )
          );
          expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
          const decision = parseJsonLine(run);
          expect(decision['reason']).toBe('no-other-execution');
          expect(decision['polls']).toBe(2);
          expect(decision['waitedSeconds']).toBeGreaterThanOrEqual(0.9);
          expect(service.requests).toHaveLength(2);
          const waiting = run.stderr
            .split('\n')
            .filter((line) => line.startsWith('Waiting for'));
          expect(waiting).toHaveLength(1);
          expect(waiting[0]).toContain(JSON.stringify(older.id));
        }
      );
    });
  });

  describe.concurrent('usage', () => {
    test.for([
      {
        what: 'an unknown flag',
        args: (apiUrl: string) => [...checkFlags(apiUrl), '--no-such-flag'],
        says: ['--no-such-flag']
      },
      {
        what: 'a positional argument',
        args: (apiUrl: string) => [...checkFlags(apiUrl), 'ingest-sales'],
        says: ['ingest-sales']
      },
      {
        what: 'no --job-name',
        args: (apiUrl: string) => ['--team', TEAM, '--api-url', apiUrl],
        says: ['--job-name']
      },
      {
        what: 'a flag without its value',
        args: (apiUrl: string) => [...checkFlags(apiUrl), '--team'],
        says: ['--team']
      },
      {
        what: 'a bad --http-retries',
        args: (apiUrl: string) => [
          ...checkFlags(apiUrl),
          '--http-retries',
          'lots'
        ],
        says: ['--http-retries', 'lots']
      }
    ])('$what: exit 2, nothing asked', async ({ args, says }, { expect }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runCli(node, args(service.baseUrl));
        expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.BadUsage);
        expect(run.stdout).toBe('');
        for (const text of says) expect(run.stderr).toContain(text);
        expect(run.stderr).toContain('--help');
        expect(service.requests).toHaveLength(0);
      });
    });

    test('--help lists a flag for every input but job-summary', async ({
      expect
    }) => {
      const run = await runCli(node, ['--help']);
      expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
      expect(run.stderr).toBe('');
      const flagInputs = readActionInputs()
        .map((input) => input.name)
        .filter((name) => name !== 'job-summary');
      expect(flagInputs.length).toBeGreaterThan(10);
      const flags = [...flagInputs, 'json', 'verbose', 'help', 'version'];
      for (const flag of flags) {
        expect(run.stdout).toMatch(new RegExp(`(^|\\s)--${flag}(\\s|$)`, 'm'));
      }
      for (const code of Object.values(ExitCode)) {
        expect(run.stdout).toContain(String(code));
      }
    });

    test('--version prints package.json’s version', async ({ expect }) => {
      const run = await runCli(node, ['--version']);
      expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
      expect(run.stdout).toBe(`${packageVersion()}\n`);
    });
  });

  describe.concurrent('VDK environment variables', () => {
    test('API URL and token from VDK_CONTROL_SERVICE_REST_API_URL and VDK_API_TOKEN; the token is never printed', async ({
      expect
    }) => {
      await withStandIn(
        { responses: [executionList([self, older])] },
        async (service) => {
          const run = await runCli(
            node,
            [
              '--job-name',
              JOB_NAME,
              '--team',
              TEAM,
              '--execution-id',
              THIS_POD_ID,
              '--verbose',
              '--json'
            ],
            {
              VDK_CONTROL_SERVICE_REST_API_URL: service.baseUrl,
              VDK_API_TOKEN: ACCESS_TOKEN
            }
          );
          expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.StandAside);
          expect(service.requests).toHaveLength(1);
          expect(service.requests[0]!.headers.authorization).toBe(
            `Bearer ${ACCESS_TOKEN}`
          );
          expect(run.stdout).not.toContain(ACCESS_TOKEN);
          expect(run.stderr).not.toContain(ACCESS_TOKEN);
        }
      );
    });

    test('API-token login through VDK_API_TOKEN_AUTHORIZATION_URL: neither token is printed', async ({
      expect
    }) => {
      await withStandIn(
        {
          responses: [
            jsonResponse({ access_token: ACCESS_TOKEN, expires_in: 3600 })
          ]
        },
        async (authorizationServer) =>
          withStandIn({ responses: [executionList([])] }, async (service) => {
            const run = await runCli(
              node,
              ['--job-name', JOB_NAME, '--team', TEAM, '--verbose'],
              {
                VDK_CONTROL_SERVICE_REST_API_URL: service.baseUrl,
                VDK_API_TOKEN: API_TOKEN,
                VDK_API_TOKEN_AUTHORIZATION_URL: `${authorizationServer.baseUrl}/oauth/token`
              }
            );
            expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
            expect(authorizationServer.requests).toHaveLength(1);
            expect(service.requests[0]!.headers.authorization).toBe(
              `Bearer ${ACCESS_TOKEN}`
            );
            for (const secret of [API_TOKEN, ACCESS_TOKEN]) {
              expect(run.stdout).not.toContain(secret);
              expect(run.stderr).not.toContain(secret);
            }
          })
      );
    });

    test('a flag wins over its variable', async ({ expect }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runCli(node, checkFlags(service.baseUrl), {
          VDK_CONTROL_SERVICE_REST_API_URL: UNUSED_URL
        });
        expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
        expect(service.requests).toHaveLength(1);
      });
    });

    test('VDK_EXECUTION_SKIP_CHECKER_ENABLED=false: go ahead without asking', async ({
      expect
    }) => {
      await withStandIn(
        { responses: [executionList([older])] },
        async (service) => {
          const run = await runCli(node, checkFlags(service.baseUrl), {
            VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'false'
          });
          expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.GoAhead);
          expect(run.stdout).toBe('go ahead (check-disabled)\n');
          expect(service.requests).toHaveLength(0);
        }
      );
    });
  });
});

describe('the command line through npx', () => {
  test('npx vdk-execution-skip from the repository root runs the bin and passes its exit code on', async ({
    expect
  }) => {
    await withStandIn(
      { responses: [executionList([self, older])] },
      async (service) => {
        const env = await userEnvironment({
          // npm may only use what is installed: never a registry. The
          // registry address is a closed loopback port, as a second guard.
          npm_config_offline: 'true',
          npm_config_yes: 'false',
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_update_notifier: 'false',
          npm_config_fund: 'false',
          npm_config_audit: 'false'
        });
        const run = await spawnAndCollect(
          'npx',
          [
            'vdk-execution-skip',
            ...checkFlags(
              service.baseUrl,
              '--execution-id',
              THIS_POD_ID,
              '--termination-message-path',
              path.join(await temporaryFolder(), 'termination-log.json'),
              '--json'
            )
          ],
          env,
          repositoryRoot
        );
        expect(run.exitCode, describeCliRun(run)).toBe(ExitCode.StandAside);
        const decision = parseJsonLine(run);
        expect(decision['skipped']).toBe(true);
        expect(decision['blockingExecutionId']).toBe(older.id);
        expect(service.requests).toHaveLength(1);
      }
    );
  });
});
