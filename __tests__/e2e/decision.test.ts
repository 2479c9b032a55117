import { promises as fs } from 'node:fs';
import { afterAll, describe, test } from 'vitest';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction,
  type ActionRun,
  type NodeBinary
} from '../support/run-action.js';
import {
  checkInputs,
  defaultTerminationPath,
  describeRun,
  expectedTerminationMessage,
  stoodAsideFor,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import {
  buildExecution,
  executionList,
  finishedStatuses,
  type ServiceExecution
} from '../support/stand-in-control-service.js';

const EIGHT_O_CLOCK = '2025-12-04T08:00:00Z';
const NINE_O_CLOCK = '2025-12-04T09:00:00Z';
const SEVEN_O_CLOCK = '2025-12-04T07:00:00Z';
const THIS_SERVICE_ID = 'ingest-sales-1764835200';
const THIS_POD_ID = `${THIS_SERVICE_ID}-x7k2p`;

interface Checked {
  run: ActionRun;
  requestCount: number;
}

/** Serves `executions` and runs the action once as `executionId`. */
async function checkAgainst(
  node: NodeBinary,
  executions: readonly ServiceExecution[],
  executionId: string
): Promise<Checked> {
  return withStandIn(
    { responses: [executionList(executions)] },
    async (service) => {
      const run = await runAction({
        node,
        inputs: checkInputs(service, { 'execution-id': executionId })
      });
      return { run, requestCount: service.requests.length };
    }
  );
}

async function fileContent(filePath: string): Promise<string | null> {
  return fs.readFile(filePath, 'utf8').catch(() => null);
}

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('decision on $label', (node) => {
  describe.concurrent('one run against one list', () => {
    test('no active execution: goes ahead and writes no termination message', async ({
      expect
    }) => {
      const { run, requestCount } = await checkAgainst(node, [], THIS_POD_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
      expect(run.warnings).toEqual([]);
      expect(requestCount).toBe(1);
      expect(await fileContent(defaultTerminationPath(run))).toBeNull();
    });

    test('another execution running while this run is not listed yet: stands aside', async ({
      expect
    }) => {
      const other = buildExecution({
        id: 'ingest-sales-1764838800',
        start_time: NINE_O_CLOCK
      });
      const { run } = await checkAgainst(node, [other], THIS_POD_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      const terminationPath = defaultTerminationPath(run);
      expect(run.outputs).toEqual(stoodAsideFor(other.id!, terminationPath));
      expect(await fileContent(terminationPath)).toBe(
        expectedTerminationMessage()
      );
    });

    test('an older submitted execution blocks as a running one does', async ({
      expect
    }) => {
      const submitted = buildExecution({
        id: 'ingest-sales-1764831600',
        status: 'submitted',
        start_time: SEVEN_O_CLOCK
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [self, submitted], THIS_POD_ID);
      expect(run.outputs).toEqual(
        stoodAsideFor(submitted.id!, defaultTerminationPath(run))
      );
    });

    test('the only active execution has exactly this run’s id: goes ahead', async ({
      expect
    }) => {
      const self = buildExecution({ id: THIS_SERVICE_ID });
      const { run } = await checkAgainst(node, [self], THIS_SERVICE_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
    });

    test('this run’s id is the service id plus a pod suffix: same execution, goes ahead', async ({
      expect
    }) => {
      const self = buildExecution({ id: THIS_SERVICE_ID });
      const { run } = await checkAgainst(node, [self], THIS_POD_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
      expect(await fileContent(defaultTerminationPath(run))).toBeNull();
    });

    test('a service id that is a bare prefix of this run’s id is another execution', async ({
      expect
    }) => {
      // "job-176480640" is a plain prefix of "job-1764806400-x7k2p" but an
      // execution of its own, started earlier.
      const prefixTwin = buildExecution({
        id: 'ingest-sales-176480640',
        start_time: SEVEN_O_CLOCK
      });
      const self = buildExecution({
        id: 'ingest-sales-1764806400',
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(
        node,
        [self, prefixTwin],
        'ingest-sales-1764806400-x7k2p'
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(
        stoodAsideFor('ingest-sales-176480640', defaultTerminationPath(run))
      );
    });

    test('an execution id missing from the list is warned about', async ({
      expect
    }) => {
      const other = buildExecution({
        id: 'ingest-sales-1764831600',
        start_time: NINE_O_CLOCK
      });
      const { run } = await checkAgainst(node, [other], THIS_POD_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(
        stoodAsideFor('ingest-sales-1764831600', defaultTerminationPath(run))
      );
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toContain(JSON.stringify(THIS_POD_ID));
      expect(run.warnings[0]).toContain('not among the active executions');
    });

    test('a listed execution id stands aside without a warning', async ({
      expect
    }) => {
      const older = buildExecution({
        id: 'ingest-sales-1764831600',
        start_time: SEVEN_O_CLOCK
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [self, older], THIS_POD_ID);
      expect(run.outputs['skipped']).toBe('true');
      expect(run.warnings).toEqual([]);
    });

    test('service fields cannot inject workflow commands', async ({
      expect
    }) => {
      const hostile = buildExecution({
        id: 'ingest-sales-1764831600',
        start_time: SEVEN_O_CLOCK,
        started_by: 'manual/eve\n::error title=Forged::injected\n::add-mask::x',
        type: 'manual\r\n::stop-commands::token'
      });
      const { run } = await checkAgainst(node, [hostile], THIS_POD_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs['skipped']).toBe('true');
      const commands = run.commands.map((command) => command.name);
      expect(commands).not.toContain('error');
      expect(commands).not.toContain('stop-commands');
      expect(run.masks).toEqual([]);
      expect(run.stdout).toContain('manual/eve\\n::error');
    });

    test('equal start times: the log says the id decided', async ({
      expect
    }) => {
      const twin = buildExecution({
        id: 'ingest-sales-1764835100',
        start_time: EIGHT_O_CLOCK
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [self, twin], THIS_POD_ID);
      expect(run.outputs['blocking-execution-id']).toBe(
        'ingest-sales-1764835100'
      );
      expect(run.stdout).toContain('at the same time as this run');
    });

    test('an older active entry without an id still blocks', async ({
      expect
    }) => {
      const nameless = { ...buildExecution({ id: 'x' }), id: null };
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [self, nameless], THIS_POD_ID);
      expect(run.outputs).toEqual(
        stoodAsideFor('', defaultTerminationPath(run))
      );
      expect(run.stdout).toContain('An execution without an id');
    });

    test('an older other execution blocks this run', async ({ expect }) => {
      const older = buildExecution({
        id: 'ingest-sales-1764831600',
        start_time: SEVEN_O_CLOCK
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [self, older], THIS_POD_ID);
      expect(run.outputs).toEqual(
        stoodAsideFor(older.id!, defaultTerminationPath(run))
      );
    });

    test('a newer other execution does not block this run', async ({
      expect
    }) => {
      const newer = buildExecution({
        id: 'ingest-sales-1764838800',
        start_time: NINE_O_CLOCK
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [newer, self], THIS_POD_ID);
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
      expect(await fileContent(defaultTerminationPath(run))).toBeNull();
    });

    test('start times are compared as instants, not as text', async ({
      expect
    }) => {
      // 09:30 at +02:00 is 07:30 UTC: older than this run, though its text
      // sorts after "08:00".
      const olderInOtherZone = buildExecution({
        id: 'ingest-sales-1764833400',
        start_time: '2025-12-04T09:30:00+02:00'
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(
        node,
        [self, olderInOtherZone],
        THIS_POD_ID
      );
      expect(run.outputs).toEqual(
        stoodAsideFor(olderInOtherZone.id!, defaultTerminationPath(run))
      );
    });

    test('equal start times: the smaller id comes first and blocks', async ({
      expect
    }) => {
      const sameTimeSmallerId = buildExecution({
        id: 'ingest-sales-1764835199',
        start_time: EIGHT_O_CLOCK
      });
      const sameTimeLargerId = buildExecution({
        id: 'ingest-sales-1764835201',
        start_time: EIGHT_O_CLOCK
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(
        node,
        [sameTimeLargerId, self, sameTimeSmallerId],
        THIS_POD_ID
      );
      expect(run.outputs).toEqual(
        stoodAsideFor(sameTimeSmallerId.id!, defaultTerminationPath(run))
      );
    });

    test('an execution without a start time sorts last and does not block', async ({
      expect
    }) => {
      const undated = buildExecution({
        id: 'ingest-sales-1764800000',
        start_time: null
      });
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(node, [undated, self], THIS_POD_ID);
      expect(run.outputs).toEqual(wentAhead());
    });

    test('this run without a start time is blocked by a dated one', async ({
      expect
    }) => {
      const dated = buildExecution({
        id: 'ingest-sales-1764838800',
        start_time: NINE_O_CLOCK
      });
      const selfUndated = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: null
      });
      const { run } = await checkAgainst(
        node,
        [selfUndated, dated],
        THIS_POD_ID
      );
      expect(run.outputs).toEqual(
        stoodAsideFor(dated.id!, defaultTerminationPath(run))
      );
    });

    test('finished executions are ignored even when the service returns them', async ({
      expect
    }) => {
      const finished = finishedStatuses().map((status, index) =>
        buildExecution({
          id: `ingest-sales-176480000${index}`,
          status,
          start_time: SEVEN_O_CLOCK
        })
      );
      const self = buildExecution({
        id: THIS_SERVICE_ID,
        start_time: EIGHT_O_CLOCK
      });
      const { run } = await checkAgainst(
        node,
        [...finished, self],
        THIS_POD_ID
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
    });

    test('without an execution id every active execution is another one', async ({
      expect
    }) => {
      const running = buildExecution({ id: THIS_SERVICE_ID });
      const finished = buildExecution({
        id: 'ingest-sales-1764800000',
        status: 'succeeded',
        start_time: SEVEN_O_CLOCK
      });
      const { run } = await checkAgainst(node, [finished, running], '');
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(
        stoodAsideFor(THIS_SERVICE_ID, defaultTerminationPath(run))
      );
    });

    test('without an execution id and with only finished executions: goes ahead', async ({
      expect
    }) => {
      const finished = buildExecution({
        id: 'ingest-sales-1764800000',
        status: 'platform_error'
      });
      const { run } = await checkAgainst(node, [finished], '');
      expect(run.outputs).toEqual(wentAhead());
    });
  });

  describe.concurrent('a list of 20,000 executions', () => {
    const LIST_SIZE = 20_000;
    const FIRST_START_MS = Date.parse('2025-01-01T00:00:00Z');

    /** Executions a minute apart; every other one has already finished. */
    function longHistory(): ServiceExecution[] {
      return Array.from({ length: LIST_SIZE }, (_, index) =>
        buildExecution({
          id: `ingest-sales-${1735689600 + index * 60}`,
          status: index % 2 === 0 ? 'succeeded' : 'running',
          start_time: new Date(FIRST_START_MS + index * 60_000).toISOString()
        })
      );
    }

    test('this run is the oldest active one: goes ahead', async ({
      expect
    }) => {
      const executions = longHistory();
      // Index 1 is the oldest running entry; move it to the middle so that
      // the list order says nothing.
      const [self] = executions.splice(1, 1);
      executions.splice(LIST_SIZE / 2, 0, self!);
      const { run, requestCount } = await checkAgainst(
        node,
        executions,
        `${self!.id!}-b4x9q`
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
      expect(requestCount).toBe(1);
    });

    test('an older running execution at the very end blocks this run', async ({
      expect
    }) => {
      const executions = longHistory();
      const oldest = buildExecution({
        id: 'ingest-sales-1700000000',
        start_time: '2023-11-14T22:13:20Z'
      });
      const self = executions[LIST_SIZE - 1]!;
      const { run } = await checkAgainst(
        node,
        [...executions, oldest],
        self.id!
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(
        stoodAsideFor(oldest.id!, defaultTerminationPath(run))
      );
    });
  });

  test('twelve runs started together: exactly the oldest goes ahead', async ({
    expect
  }) => {
    // Three share the earliest start time; of those the smallest id in
    // code-unit order comes first. The smallest id of all starts later, so
    // the start time must win over the id.
    const startSecondById: Record<string, number> = {
      'ingest-sales-1764835203': 3,
      'ingest-sales-1764835212': 0,
      'ingest-sales-1764835200': 7,
      'ingest-sales-1764835211': 0,
      'ingest-sales-1764835207': 5,
      'ingest-sales-1764835210': 0,
      'ingest-sales-1764835205': 5,
      'ingest-sales-1764835201': 1,
      'ingest-sales-1764835209': 9,
      'ingest-sales-1764835204': 2,
      'ingest-sales-1764835208': 8,
      'ingest-sales-1764835206': 4
    };
    const expectedWinner = 'ingest-sales-1764835210';
    const executions = Object.entries(startSecondById).map(([id, second]) =>
      buildExecution({
        id,
        start_time: `2025-12-04T08:00:0${second}Z`
      })
    );
    // Half of the runs know themselves by pod name, half by service id.
    const executionIds = executions.map((execution, index) =>
      index % 2 === 0
        ? `${execution.id!}-pod${String(index).padStart(2, '0')}`
        : execution.id!
    );
    await withStandIn(
      { responses: [executionList(executions)] },
      async (service) => {
        const runs = await Promise.all(
          executionIds.map((executionId) =>
            runAction({
              node,
              inputs: checkInputs(service, { 'execution-id': executionId })
            })
          )
        );
        expect(service.requests).toHaveLength(executionIds.length);
        runs.forEach((run) => expect(run.exitCode, describeRun(run)).toBe(0));
        const goingAhead = runs
          .map((run, index) => ({ run, executionId: executionIds[index] }))
          .filter(({ run }) => run.outputs['skipped'] === 'false');
        expect(goingAhead.map(({ executionId }) => executionId)).toEqual([
          expect.stringMatching(new RegExp(`^${expectedWinner}(-|$)`))
        ]);
        for (const run of runs) {
          if (run === goingAhead[0]?.run) {
            expect(run.outputs).toEqual(wentAhead());
          } else {
            expect(run.outputs).toEqual(
              stoodAsideFor(expectedWinner, defaultTerminationPath(run))
            );
          }
        }
      }
    );
  });
});
