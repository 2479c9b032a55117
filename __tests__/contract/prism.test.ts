import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, test, type ExpectStatic } from 'vitest';
import {
  PrismMock,
  contractExampleExecutions,
  contractProblems,
  parseViolations,
  sendRaw,
  withRecorder,
  type ContractCheck,
  type RecordedExchange,
  type Violation
} from '../support/prism-mock.js';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction,
  type ActionRun,
  type NodeBinary
} from '../support/run-action.js';
import {
  ACTIVE_STATUS_FILTER,
  checkFailedGoingAhead,
  defaultTerminationPath,
  describeRun,
  expectedTerminationMessage,
  stoodAsideFor,
  wentAhead
} from '../support/scenario.js';

// The contract puts every operation behind bearerAuth, so a request that is
// to validate carries a token. JWT-shaped, within RFC 6750's token68
// characters, "+", "/" and "=" included.
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2ZGsifQ.c2ln+bmF0/dXJl==';
const BEARER = { authorization: `Bearer ${ACCESS_TOKEN}` };

// The statuses the check asks for are the ones that count as active.
const ACTIVE_STATUSES = new Set(ACTIVE_STATUS_FILTER);
const POD_SUFFIX = '-x7k2p';

interface Names {
  label: string;
  team: string;
  jobName: string;
}

const PLAIN: Names = {
  label: 'plain names',
  team: 'data-platform',
  jobName: 'ingest-sales'
};

// Each character a path segment cannot carry as it is: a space, and the
// three that would end the segment, the path or the query early.
const NAMES: Names[] = [
  PLAIN,
  { label: 'spaces', team: 'data platform', jobName: 'ingest sales daily' },
  { label: 'slashes', team: 'data/platform', jobName: 'ingest/sales/daily' },
  { label: 'hashes', team: 'data#platform', jobName: 'ingest#sales' },
  { label: 'question marks', team: 'data?platform', jobName: 'ingest?x=1' },
  {
    label: 'all of them',
    team: 'data team/eu #1?',
    jobName: 'sales job/daily#2?x'
  }
];

// The static example breaks the contract's own schema: its `message` is
// null where the schema says string, and the deployment's `vdk_version`
// is the YAML number 2.1. Prism names both in sl-violations on every answer
// it serves from it; they say nothing about the request.
const STATIC_EXAMPLE: ContractCheck = { allowResponseViolations: true };
// Generated answers follow the schema, so any sl-violations at all would
// come from the request.
const GENERATED: ContractCheck = { allowResponseViolations: false };

/** The example the contract gives for the executions list. */
const EXAMPLE = contractExampleExecutions();

let staticPrism: PrismMock | undefined;
let strictPrism: PrismMock | undefined;

function started(prism: PrismMock | undefined): PrismMock {
  if (!prism) throw new Error('prism did not start; see beforeAll.');
  return prism;
}

beforeAll(async () => {
  // Started together, since each takes a second or two; one that did start
  // is kept so that afterAll stops it even when the other failed.
  const [example, strict] = await Promise.allSettled([
    // Request validation is on in mock mode; without --errors prism still
    // answers 422 to a request that breaks the contract, and serves the
    // example despite its own schema violations.
    PrismMock.start({ errors: false }),
    // --errors turns every violation into an error answer; --dynamic
    // answers from the schema, because the static example would be a
    // violation of its own (see STATIC_EXAMPLE).
    PrismMock.start({ errors: true, dynamic: true, seed: 'vdk-execution-skip' })
  ]);
  if (example.status === 'fulfilled') staticPrism = example.value;
  if (strict.status === 'fulfilled') strictPrism = strict.value;
  for (const result of [example, strict]) {
    if (result.status === 'rejected') throw result.reason;
  }
});

afterAll(async () => {
  await Promise.all([staticPrism?.stop(), strictPrism?.stop()]);
  await removeRunDirectories();
});

function splitRawUrl(rawUrl: string): { path: string; query: string } {
  const separator = rawUrl.indexOf('?');
  return separator === -1
    ? { path: rawUrl, query: '' }
    : { path: rawUrl.slice(0, separator), query: rawUrl.slice(separator + 1) };
}

interface Checked {
  run: ActionRun;
  exchanges: RecordedExchange[];
}

/** Runs the action once against `prism`, through a fresh recorder. */
function checkAgainst(
  prism: PrismMock,
  node: NodeBinary,
  names: Names,
  more: Record<string, string> = {}
): Promise<Checked> {
  return withRecorder(prism, async (recorder) => {
    const run = await runAction({
      node,
      inputs: {
        'job-name': names.jobName,
        team: names.team,
        'api-url': recorder.baseUrl,
        'api-token': ACCESS_TOKEN,
        ...more
      }
    });
    return { run, exchanges: [...recorder.exchanges] };
  });
}

/** What a reader of the whole exchange needs when an assertion fails. */
function describeChecked({ run, exchanges }: Checked): string {
  const answers = exchanges.map(
    (exchange) =>
      `${exchange.method} ${exchange.rawUrl} -> ${exchange.status}` +
      ` sl-violations: ${exchange.violationsHeader ?? '(none)'}\n${exchange.body}`
  );
  return [describeRun(run), '--- prism ---', ...answers].join('\n');
}

/** The one request of a run, which must be the executions query. */
function onlyExchange(
  checked: Checked,
  expect: ExpectStatic
): RecordedExchange {
  expect(checked.exchanges, describeChecked(checked)).toHaveLength(1);
  const [exchange] = checked.exchanges;
  if (!exchange) throw new Error('no exchange');
  return exchange;
}

/** Asserts the request line names the job's executions, names intact. */
function expectExecutionsQuery(
  exchange: RecordedExchange,
  names: Names,
  expect: ExpectStatic
): void {
  expect(exchange.method).toBe('GET');
  const { path, query } = splitRawUrl(exchange.rawUrl);
  expect(path.split('/').map(decodeURIComponent)).toEqual([
    '',
    'data-jobs',
    'for-team',
    names.team,
    'jobs',
    names.jobName,
    'executions'
  ]);
  expect(new URLSearchParams(query).getAll('execution_status')).toEqual(
    ACTIVE_STATUS_FILTER
  );
  expect(exchange.headers['authorization']).toBe(BEARER.authorization);
}

interface ServedExecution {
  id: unknown;
  status: unknown;
}

/** Prism's answer body as a list, so that tests can compare with it. */
function servedList(exchange: RecordedExchange): ServedExecution[] {
  const parsed: unknown = JSON.parse(exchange.body);
  if (!Array.isArray(parsed)) {
    throw new Error(`prism answered no list: ${exchange.body}`);
  }
  return parsed.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null
      ? {
          id: 'id' in entry ? entry.id : undefined,
          status: 'status' in entry ? entry.status : undefined
        }
      : { id: undefined, status: undefined }
  );
}

/** The contract's one example execution, which the cases below rely on. */
function exampleExecution(): { id: string; status: string } {
  const [only] = EXAMPLE;
  if (EXAMPLE.length !== 1 || !only) {
    throw new Error(
      `The contract's example lists ${EXAMPLE.length} executions; these tests assume one.`
    );
  }
  return only;
}

async function fileContent(filePath: string): Promise<string | null> {
  return fs.readFile(filePath, 'utf8').catch(() => null);
}

describe('the contract example', () => {
  test('is one active execution, so the cases below decide something', ({
    expect
  }) => {
    expect(EXAMPLE).toHaveLength(1);
    expect(ACTIVE_STATUSES.has(exampleExecution().status)).toBe(true);
    expect(exampleExecution().id).not.toBe('');
  });
});

describe.each(nodeBinaries())('prism on $label', (node) => {
  describe.concurrent('the static example (no --dynamic)', () => {
    test.for(NAMES)(
      '$label: the request validates and the example makes the run stand aside',
      async (names, { expect }) => {
        const checked = await checkAgainst(started(staticPrism), node, names);
        const { run } = checked;
        const exchange = onlyExchange(checked, expect);
        expect(contractProblems(exchange, STATIC_EXAMPLE)).toEqual([]);
        expectExecutionsQuery(exchange, names, expect);
        // What prism served is the contract's example, so the expectation
        // derived from the contract is the one to hold the action to.
        expect(servedList(exchange)).toEqual(EXAMPLE);
        const example = exampleExecution();
        expect(run.exitCode, describeChecked(checked)).toBe(0);
        expect(run.outputs).toEqual(
          stoodAsideFor(example.id, defaultTerminationPath(run))
        );
        expect(await fileContent(defaultTerminationPath(run))).toBe(
          expectedTerminationMessage()
        );
        expect(run.warnings).toEqual([]);
        expect(run.stepSummary).toContain(example.id);
      }
    );

    test('this run is the example execution: it goes ahead', async ({
      expect
    }) => {
      const example = exampleExecution();
      const checked = await checkAgainst(started(staticPrism), node, PLAIN, {
        'execution-id': example.id
      });
      const exchange = onlyExchange(checked, expect);
      expect(contractProblems(exchange, STATIC_EXAMPLE)).toEqual([]);
      expect(checked.run.outputs, describeChecked(checked)).toEqual(
        wentAhead()
      );
      expect(checked.run.warnings).toEqual([]);
    });

    test("this run is the example execution's pod: it goes ahead", async ({
      expect
    }) => {
      const example = exampleExecution();
      const checked = await checkAgainst(started(staticPrism), node, PLAIN, {
        'execution-id': `${example.id}${POD_SUFFIX}`
      });
      const exchange = onlyExchange(checked, expect);
      expect(contractProblems(exchange, STATIC_EXAMPLE)).toEqual([]);
      expect(checked.run.outputs, describeChecked(checked)).toEqual(
        wentAhead()
      );
      expect(checked.run.warnings).toEqual([]);
    });

    test('an id the example id merely starts with is another run: it stands aside', async ({
      expect
    }) => {
      const example = exampleExecution();
      const checked = await checkAgainst(started(staticPrism), node, PLAIN, {
        'execution-id': example.id.slice(0, -1)
      });
      const { run } = checked;
      const exchange = onlyExchange(checked, expect);
      expect(contractProblems(exchange, STATIC_EXAMPLE)).toEqual([]);
      expect(run.outputs, describeChecked(checked)).toEqual(
        stoodAsideFor(example.id, defaultTerminationPath(run))
      );
      // The given id is not in the list, which the action warns about.
      expect(run.warnings).toHaveLength(1);
    });

    test('without a token the contract is not met: prism answers 401 and the check fails open', async ({
      expect
    }) => {
      const checked = await checkAgainst(started(staticPrism), node, PLAIN, {
        'api-token': ''
      });
      const { run } = checked;
      const exchange = onlyExchange(checked, expect);
      expect(exchange.headers).not.toHaveProperty('authorization');
      expect(exchange.status).toBe(401);
      expect(run.exitCode, describeChecked(checked)).toBe(0);
      expect(run.outputs).toEqual(checkFailedGoingAhead());
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toContain('HTTP 401');
    });
  });

  describe.concurrent(
    'answers generated from the schema (--errors --dynamic)',
    () => {
      test.for(NAMES)(
        '$label: the request validates and the decision follows the answer',
        async (names, { expect }) => {
          const checked = await checkAgainst(started(strictPrism), node, names);
          const { run } = checked;
          const exchange = onlyExchange(checked, expect);
          expect(contractProblems(exchange, GENERATED)).toEqual([]);
          expectExecutionsQuery(exchange, names, expect);
          expect(run.exitCode, describeChecked(checked)).toBe(0);
          const activeIds = servedList(exchange)
            .filter(
              (entry) =>
                typeof entry.status === 'string' &&
                ACTIVE_STATUSES.has(entry.status)
            )
            .map((entry) => (typeof entry.id === 'string' ? entry.id : ''));
          if (activeIds.length === 0) {
            expect(run.outputs, describeChecked(checked)).toEqual(wentAhead());
          } else {
            expect(run.outputs['skipped'], describeChecked(checked)).toBe(
              'true'
            );
            expect(run.outputs['reason']).toBe('other-execution-running');
            expect(activeIds).toContain(run.outputs['blocking-execution-id']);
          }
        }
      );
    }
  );
});

/** The violations prism lists in a 422 answer. */
function rejectionViolations(body: string): Violation[] {
  const parsed: unknown = JSON.parse(body);
  const validation =
    typeof parsed === 'object' && parsed !== null && 'validation' in parsed
      ? parsed.validation
      : undefined;
  return parseViolations(JSON.stringify(validation ?? null)) ?? [];
}

const VALID_QUERY = `/data-jobs/for-team/data-platform/jobs/ingest-sales/executions?execution_status=submitted&execution_status=running`;

interface BrokenRequest {
  label: string;
  rawPath: string;
  headers: Record<string, string>;
  status: number;
  /** Where prism must place the violation; null for a 401. */
  location: string[] | null;
}

// Requests the action never makes, each one fault away from VALID_QUERY.
const BROKEN_REQUESTS: BrokenRequest[] = [
  {
    label: 'an empty team segment (a required path parameter missing)',
    rawPath: `/data-jobs/for-team//jobs/ingest-sales/executions?execution_status=submitted&execution_status=running`,
    headers: BEARER,
    status: 422,
    location: ['path']
  },
  {
    label: 'a slash after executions (the execution id missing)',
    rawPath: `/data-jobs/for-team/data-platform/jobs/ingest-sales/executions/?execution_status=submitted`,
    headers: BEARER,
    status: 422,
    location: ['path']
  },
  {
    label: 'a query value outside its enum (deployments?mode=)',
    rawPath: `/data-jobs/for-team/data-platform/jobs/ingest-sales/deployments?mode=nightly`,
    headers: BEARER,
    status: 422,
    location: ['query', 'mode']
  },
  {
    label: 'no bearer token',
    rawPath: VALID_QUERY,
    headers: {},
    status: 401,
    location: null
  }
];

const PRISMS: {
  label: string;
  prism: () => PrismMock;
  check: ContractCheck;
}[] = [
  { label: 'static', prism: () => started(staticPrism), check: STATIC_EXAMPLE },
  { label: '--errors', prism: () => started(strictPrism), check: GENERATED }
];

describe.each(PRISMS)(
  'negative controls against the $label prism',
  ({ prism, check }) => {
    describe.concurrent(
      'the checks tell a broken request from a valid one',
      () => {
        test('the valid query, sent by the test, passes the same checks', async ({
          expect
        }) => {
          await withRecorder(prism(), async (recorder) => {
            await sendRaw(recorder.baseUrl, VALID_QUERY, BEARER);
            expect(recorder.exchanges).toHaveLength(1);
            const [exchange] = recorder.exchanges;
            if (!exchange) throw new Error('no exchange');
            expect(contractProblems(exchange, check)).toEqual([]);
          });
        });

        test.for(BROKEN_REQUESTS)(
          '$label is refused and caught',
          async (broken, { expect }) => {
            await withRecorder(prism(), async (recorder) => {
              await sendRaw(recorder.baseUrl, broken.rawPath, broken.headers);
              expect(recorder.exchanges).toHaveLength(1);
              const [exchange] = recorder.exchanges;
              if (!exchange) throw new Error('no exchange');
              expect(exchange.rawUrl).toBe(broken.rawPath);
              expect(exchange.status, exchange.body).toBe(broken.status);
              if (broken.location) {
                expect(
                  rejectionViolations(exchange.body).map(
                    (violation) => violation.location
                  )
                ).toContainEqual(broken.location);
              }
              expect(contractProblems(exchange, check)).not.toEqual([]);
            });
          }
        );
      }
    );
  }
);

describe('the recorder', () => {
  test('passes on what prism answers, sl-violations included', async ({
    expect
  }) => {
    const prism = started(staticPrism);
    const direct = await sendRaw(prism.baseUrl, VALID_QUERY, BEARER);
    await withRecorder(prism, async (recorder) => {
      const throughRecorder = await sendRaw(
        recorder.baseUrl,
        VALID_QUERY,
        BEARER
      );
      expect(throughRecorder).toEqual(direct);
      const [exchange] = recorder.exchanges;
      expect(exchange?.status).toBe(direct.status);
      expect(exchange?.violationsHeader).toBe(direct.violationsHeader);
      expect(exchange?.body).toBe(direct.body);
    });
  });
});
