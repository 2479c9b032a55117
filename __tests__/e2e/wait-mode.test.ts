import { promises as fs } from 'node:fs';
import { afterAll, describe, test } from 'vitest';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction,
  type ActionRun
} from '../support/run-action.js';
import {
  checkFailedGoingAhead,
  checkFailedStandingAside,
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
  serverError,
  type RecordedRequest
} from '../support/stand-in-control-service.js';

const BLOCKER_ID = 'ingest-sales-1764831600';
const THIS_SERVICE_ID = 'ingest-sales-1764835200';
const THIS_POD_ID = `${THIS_SERVICE_ID}-x7k2p`;

const blocker = buildExecution({
  id: BLOCKER_ID,
  start_time: '2025-12-04T07:00:00Z'
});
const blockerFinished = { ...blocker, status: 'succeeded' };
const thisExecution = buildExecution({
  id: THIS_SERVICE_ID,
  start_time: '2025-12-04T08:00:00Z'
});

const blockedList = executionList([blocker, thisExecution]);
// The service keeps the finished entry, as an unfiltered or lagging answer
// would: the check must drop it by its status.
const blockerEndedList = executionList([blockerFinished, thisExecution]);

/** Timers fire a little late, never early; this absorbs clock granularity. */
const TIMER_TOLERANCE_MS = 50;
/**
 * Room on top of the documented bound for a loaded two-core machine: the
 * bounds below are measured from the first request the stand-in received.
 */
const SCHEDULING_SLACK_MS = 1500;

interface WaitingLine {
  line: string;
  waitedSeconds: number;
}

/** The "Waiting for …" lines of the job log, with the seconds they name. */
function waitingLines(run: ActionRun): WaitingLine[] {
  return run.logLines
    .filter((line) => line.startsWith('Waiting for '))
    .map((line) => {
      const waited = /waited (\d+(?:\.\d+)?) s/.exec(line);
      return { line, waitedSeconds: Number(waited?.[1] ?? Number.NaN) };
    });
}

/** Milliseconds between consecutive requests. */
function gapsBetween(requests: readonly RecordedRequest[]): number[] {
  return requests
    .slice(1)
    .map(
      (request, index) =>
        request.receivedAtEpochMs - requests[index]!.receivedAtEpochMs
    );
}

/** From the first request the service saw to the moment the step ended. */
function msFromFirstRequestToExit(
  run: ActionRun,
  requests: readonly RecordedRequest[]
): number {
  return run.exitedAtEpochMs - requests[0]!.receivedAtEpochMs;
}

async function fileContent(filePath: string): Promise<string | null> {
  return fs.readFile(filePath, 'utf8').catch(() => null);
}

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('wait mode on $label', (node) => {
  describe.concurrent('older executions that end, or do not', () => {
    test('the blocker ends after two polls: goes ahead on the third, one log line per poll', async ({
      expect
    }) => {
      const blockedPolls = 2;
      await withStandIn(
        {
          handler: (_, index) =>
            index < blockedPolls ? blockedList : blockerEndedList
        },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'execution-id': THIS_POD_ID,
              'wait-timeout-seconds': '10',
              'poll-interval-seconds': '1'
            })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(wentAhead());
          expect(run.warnings).toEqual([]);
          expect(service.requests).toHaveLength(blockedPolls + 1);
          expect(
            await fileContent(defaultTerminationPath(run)),
            'a run that goes ahead leaves the termination message alone'
          ).toBeNull();

          const lines = waitingLines(run);
          expect(lines, run.stdout).toHaveLength(blockedPolls);
          lines.forEach(({ line, waitedSeconds }, poll) => {
            expect(line).toContain(JSON.stringify(BLOCKER_ID));
            // Poll k is sent k intervals after the first one at the earliest.
            expect(waitedSeconds).toBeGreaterThanOrEqual(poll);
            expect(waitedSeconds).toBeLessThanOrEqual(poll + 2);
          });

          // One request per interval: the next question waits the interval.
          for (const gap of gapsBetween(service.requests)) {
            expect(gap).toBeGreaterThanOrEqual(1000 - TIMER_TOLERANCE_MS);
          }
          // Every poll belongs to one check, searchable by one X-OPID.
          const operationIds = new Set(
            service.requests.map((request) => request.headers['x-opid'])
          );
          expect(operationIds.size).toBe(1);
          // It goes ahead as soon as the blocker is gone, not at the timeout.
          expect(msFromFirstRequestToExit(run, service.requests)).toBeLessThan(
            blockedPolls * 1000 + SCHEDULING_SLACK_MS + 1000
          );

          const waited = /Waited (\d+(?:\.\d+)?) s over 3 questions/.exec(
            run.stepSummary
          );
          expect(waited, run.stepSummary).not.toBeNull();
          expect(Number(waited![1])).toBeGreaterThanOrEqual(1.9);
        }
      );
    });

    test('the blocker never ends: stands aside once waiting longer would pass the timeout', async ({
      expect
    }) => {
      const waitSeconds = 3;
      const httpTimeoutSeconds = 2;
      await withStandIn({ responses: [blockedList] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'execution-id': THIS_POD_ID,
            'wait-timeout-seconds': String(waitSeconds),
            'poll-interval-seconds': '1',
            'http-timeout-seconds': String(httpTimeoutSeconds)
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        const terminationPath = defaultTerminationPath(run);
        expect(run.outputs).toEqual(stoodAsideFor(BLOCKER_ID, terminationPath));
        expect(await fileContent(terminationPath)).toBe(
          expectedTerminationMessage()
        );

        const requestCount = service.requests.length;
        expect(requestCount).toBeGreaterThanOrEqual(3);
        expect(requestCount).toBeLessThanOrEqual(4);
        // The last poll is the verdict; every poll before it is logged.
        const lines = waitingLines(run);
        expect(lines).toHaveLength(requestCount - 1);
        for (const { line } of lines) {
          expect(line).toContain(JSON.stringify(BLOCKER_ID));
        }
        for (const gap of gapsBetween(service.requests)) {
          expect(gap).toBeGreaterThanOrEqual(1000 - TIMER_TOLERANCE_MS);
        }
        expect(msFromFirstRequestToExit(run, service.requests)).toBeLessThan(
          (waitSeconds + httpTimeoutSeconds) * 1000 + SCHEDULING_SLACK_MS
        );
      });
    });

    test('a slow service: the whole wait stays within the timeout plus one request deadline', async ({
      expect
    }) => {
      const waitSeconds = 3;
      const httpTimeoutSeconds = 2;
      // Just under the deadline: each answer arrives, late. A loop that
      // only looked at the clock after a poll would start a third one at
      // about 5.4 s and end near 7.1 s.
      await withStandIn(
        { responses: [{ ...blockedList, delayMs: 1700 }] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'execution-id': THIS_POD_ID,
              'wait-timeout-seconds': String(waitSeconds),
              'poll-interval-seconds': '1',
              'http-timeout-seconds': String(httpTimeoutSeconds)
            })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(
            stoodAsideFor(BLOCKER_ID, defaultTerminationPath(run))
          );
          expect(run.warnings).toEqual([]);
          expect(service.requests.length).toBeLessThanOrEqual(2);
          expect(msFromFirstRequestToExit(run, service.requests)).toBeLessThan(
            (waitSeconds + httpTimeoutSeconds) * 1000 + SCHEDULING_SLACK_MS
          );
        }
      );
    });

    test('the service stops answering mid-wait: no retry starts after the wait is over', async ({
      expect
    }) => {
      const waitSeconds = 3;
      const httpTimeoutSeconds = 1;
      await withStandIn(
        { responses: [blockedList, { neverAnswer: true }] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'execution-id': THIS_POD_ID,
              'wait-timeout-seconds': String(waitSeconds),
              'poll-interval-seconds': '1',
              'http-timeout-seconds': String(httpTimeoutSeconds),
              'http-retries': '3'
            })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings).toHaveLength(1);
          // Without the cut-off, retries 3 and 4 would run to about 7 s.
          expect(service.requests.length).toBeGreaterThanOrEqual(2);
          expect(service.requests.length).toBeLessThanOrEqual(4);
          expect(msFromFirstRequestToExit(run, service.requests)).toBeLessThan(
            (waitSeconds + httpTimeoutSeconds) * 1000 + SCHEDULING_SLACK_MS
          );
        }
      );
    });

    test('wait-timeout-seconds 0 asks once even when blocked', async ({
      expect
    }) => {
      await withStandIn({ responses: [blockedList] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'execution-id': THIS_POD_ID,
            'wait-timeout-seconds': '0',
            'poll-interval-seconds': '1'
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(
          stoodAsideFor(BLOCKER_ID, defaultTerminationPath(run))
        );
        expect(service.requests).toHaveLength(1);
        expect(waitingLines(run)).toEqual([]);
        expect(run.stepSummary).not.toContain('Waited');
      });
    });
  });

  describe.concurrent(
    'a poll fails mid-wait (503 after the first answer, retries 0)',
    () => {
      const failingMidWait = (
        onError: string
      ): Promise<{ run: ActionRun; requestCount: number }> =>
        withStandIn(
          { responses: [blockedList, serverError(503)] },
          async (service) => {
            const run = await runAction({
              node,
              inputs: checkInputs(service, {
                'execution-id': THIS_POD_ID,
                'wait-timeout-seconds': '5',
                'poll-interval-seconds': '1',
                'http-retries': '0',
                'on-error': onError
              })
            });
            return { run, requestCount: service.requests.length };
          }
        );

      test('on-error proceed: goes ahead with a warning naming the 503', async ({
        expect
      }) => {
        const { run, requestCount } = await failingMidWait('proceed');
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(requestCount).toBe(2);
        expect(waitingLines(run)).toHaveLength(1);
        expect(run.outputs).toEqual(checkFailedGoingAhead());
        expect(run.warnings).toHaveLength(1);
        expect(run.warnings[0]).toContain('503');
        expect(run.errors).toEqual([]);
        expect(await fileContent(defaultTerminationPath(run))).toBeNull();
      });

      test('on-error skip: stands aside and writes the termination message', async ({
        expect
      }) => {
        const { run, requestCount } = await failingMidWait('skip');
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(requestCount).toBe(2);
        const terminationPath = defaultTerminationPath(run);
        expect(run.outputs).toEqual(checkFailedStandingAside(terminationPath));
        expect(run.warnings).toHaveLength(1);
        expect(run.warnings[0]).toContain('503');
        expect(await fileContent(terminationPath)).toBe(
          expectedTerminationMessage()
        );
      });

      test('on-error fail: the step fails naming the 503, only reason is set', async ({
        expect
      }) => {
        const { run, requestCount } = await failingMidWait('fail');
        expect(run.exitCode, describeRun(run)).toBe(1);
        expect(requestCount).toBe(2);
        expect(run.outputs).toEqual({ reason: 'check-failed' });
        expect(run.errors).toHaveLength(1);
        expect(run.errors[0]).toContain('503');
        expect(await fileContent(defaultTerminationPath(run))).toBeNull();
      });
    }
  );
});
