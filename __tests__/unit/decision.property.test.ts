import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reason } from '../../src/constants.js';
import {
  decide,
  isActive,
  isSameExecution,
  sortOldestFirst,
  type Decision
} from '../../src/decision.js';
import { toExecutions, type Execution } from '../../src/executions.js';

/** Enough cases to meet ties, prefixes and odd spellings, still fast. */
const RUNS = { numRuns: 400 };

/**
 * Start times in groups; the spellings of one group name the same instant,
 * so that ties must be broken the same way whatever text the service sent.
 */
const SAME_INSTANT_SPELLINGS: readonly (readonly string[])[] = [
  [
    '2026-12-04T10:00:00Z',
    '2026-12-04T10:00:00.000Z',
    '2026-12-04T12:00:00+02:00',
    '2026-12-04T05:00:00-0500',
    '2026-12-04 10:00:00'
  ],
  // A microsecond later: apart below the millisecond.
  ['2026-12-04T10:00:00.000001Z', '2026-12-04T10:00:00,000001z'],
  ['2026-12-04T11:00:00Z', '2026-12-04T11:00Z', '2026-12-04T11:00:00+00:00'],
  ['2026-12-03T23:59:59.999999999Z']
];
/** Sort last, as a missing start time does. */
const UNREADABLE_START_TIMES = [
  '',
  'soon',
  '1',
  '2026-13-01T00:00:00Z',
  '2026-02-30T10:00:00Z'
];
const ACTIVE_STATUS_SPELLINGS = [
  'running',
  'submitted',
  'RUNNING',
  ' Submitted '
];
const ENDED_STATUSES = [
  'succeeded',
  'cancelled',
  'skipped',
  'user_error',
  'platform_error',
  '',
  'running-ish'
];
const POD_SUFFIX_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');

/** An id that no listed execution can have: the listed ones are ingest-…. */
const STRANGER_ID = 'stranger-1764806400-x7k2p';

const startTimeArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SAME_INSTANT_SPELLINGS.flat()) },
  { weight: 1, arbitrary: fc.constantFrom(...UNREADABLE_START_TIMES) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }) }
);

const statusArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ACTIVE_STATUS_SPELLINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...ENDED_STATUSES) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) }
);

/**
 * Ids as the service makes them, from a narrow range so that equal start
 * times meet and some ids are plain prefixes of others
 * ("ingest-sales-176480640" of "ingest-sales-1764806401").
 */
const serviceIdArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    fc.integer({ min: 176_480_640, max: 176_480_642 }),
    fc.integer({ min: 1_764_806_400, max: 1_764_806_430 })
  )
  .map((epoch) => `ingest-sales-${epoch}`);

const podSuffixArbitrary: fc.Arbitrary<string | null> = fc.option(
  fc.string({
    unit: fc.constantFrom(...POD_SUFFIX_CHARACTERS),
    minLength: 5,
    maxLength: 5
  })
);

/** One entry of the service's answer, and the pod that runs it, if any. */
interface ListedExecution {
  entry: Record<string, unknown>;
  /** Appended to the id by Kubernetes; null when the run uses the bare id. */
  podSuffix: string | null;
}

/** A service entry; a field drawn as undefined is left out altogether. */
function serviceEntry(
  id: unknown,
  status: unknown,
  startTime: unknown
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    job_name: 'ingest-sales',
    type: 'scheduled',
    started_by: 'scheduled/runtime'
  };
  if (id !== undefined) entry['id'] = id;
  if (status !== undefined) entry['status'] = status;
  if (startTime !== undefined) entry['start_time'] = startTime;
  return entry;
}

function listedExecutionsArbitrary(
  idArbitrary: fc.Arbitrary<string>
): fc.Arbitrary<ListedExecution[]> {
  return fc.uniqueArray(idArbitrary, { maxLength: 8 }).chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc
          .record({
            status: statusArbitrary,
            startTime: startTimeArbitrary,
            podSuffix: podSuffixArbitrary
          })
          .map(({ status, startTime, podSuffix }): ListedExecution => ({
            entry: serviceEntry(id, status, startTime),
            podSuffix
          }))
      )
    )
  );
}

/** The id a run passes as execution-id: the service's, maybe with its pod. */
function runnerId(execution: Execution, podSuffix: string | null): string {
  return podSuffix === null ? execution.id : `${execution.id}-${podSuffix}`;
}

interface Participant {
  execution: Execution;
  decision: Decision;
}

/** Every active execution runs the check with its own id. */
function everyActiveRunChecks(listed: readonly ListedExecution[]): {
  active: Execution[];
  participants: Participant[];
} {
  const executions = toExecutions(listed.map(({ entry }) => entry));
  // Every entry is an object, so none is dropped and indexes line up.
  expect(executions).toHaveLength(listed.length);
  const participants = executions.flatMap((execution, index) =>
    isActive(execution)
      ? [
          {
            execution,
            decision: decide(
              executions,
              runnerId(execution, listed[index]!.podSuffix)
            )
          }
        ]
      : []
  );
  return { active: executions.filter(isActive), participants };
}

function assertExactlyOneGoesAhead(
  active: readonly Execution[],
  participants: readonly Participant[]
): void {
  const goingAhead = participants.filter(({ decision }) => !decision.skip);
  expect(goingAhead).toHaveLength(1);
  const [winner] = goingAhead;
  // It is the oldest, and it is what every other run names as blocking.
  expect(winner!.execution.id).toBe(sortOldestFirst(active)[0]!.id);
  for (const { execution, decision } of participants) {
    expect(decision.thisExecution?.id).toBe(execution.id);
    if (execution !== winner!.execution) {
      expect(decision.blocking?.id).toBe(winner!.execution.id);
      expect(decision.reason).toBe(Reason.OtherExecutionRunning);
    }
  }
}

/** What a decision tells, without object identity. */
function decisionView(decision: Decision): Record<string, unknown> {
  return {
    skip: decision.skip,
    reason: decision.reason,
    blockingId: decision.blocking?.id ?? null,
    thisExecutionId: decision.thisExecution?.id ?? null,
    activeIds: decision.active.map((execution) => execution.id)
  };
}

/** Invariants every decision keeps, whatever it was given. */
function assertWellFormed(decision: Decision): void {
  expect(decision.skip).toBe(decision.blocking !== null);
  expect(decision.reason).toBe(
    decision.skip ? Reason.OtherExecutionRunning : Reason.NoOtherExecution
  );
  for (const execution of decision.active) {
    expect(['submitted', 'running']).toContain(execution.status);
  }
  if (decision.blocking !== null) {
    expect(decision.active).toContain(decision.blocking);
  }
  if (decision.thisExecution !== null) {
    expect(decision.active).toContain(decision.thisExecution);
  }
}

describe('decide, over random lists of executions', () => {
  it('of the active executions that each run the check, exactly one goes ahead', () => {
    fc.assert(
      fc.property(listedExecutionsArbitrary(serviceIdArbitrary), (listed) => {
        const { active, participants } = everyActiveRunChecks(listed);
        fc.pre(active.length > 0);
        assertExactlyOneGoesAhead(active, participants);
      }),
      RUNS
    );
  });

  it('exactly one goes ahead with arbitrary ids too, when no id names another execution', () => {
    const anyIdArbitrary = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(listedExecutionsArbitrary(anyIdArbitrary), (listed) => {
        const { active, participants } = everyActiveRunChecks(listed);
        fc.pre(active.length > 0);
        // A run whose id also matches another listed execution (that one's
        // id plus a pod suffix) cannot tell the two apart; such ids are not
        // what the service hands out for one job.
        const ambiguous = listed.some(({ entry, podSuffix }, index) => {
          const ownId = runnerId(toExecutions([entry])[0]!, podSuffix);
          return listed.some(
            (other, otherIndex) =>
              otherIndex !== index &&
              isSameExecution(toExecutions([other.entry])[0]!.id, ownId)
          );
        });
        fc.pre(!ambiguous);
        assertExactlyOneGoesAhead(active, participants);
      }),
      RUNS
    );
  });

  it('does not depend on the order of the list, for any execution id', () => {
    // Ids may repeat and be missing here: the order must not matter even
    // for lists no real service would send.
    const entryArbitrary = fc
      .record({
        id: fc.option(serviceIdArbitrary, { nil: undefined }),
        status: statusArbitrary,
        startTime: startTimeArbitrary
      })
      .map(({ id, status, startTime }) => serviceEntry(id, status, startTime));
    const listAndShuffle = fc
      .array(entryArbitrary, { maxLength: 8 })
      .chain((entries) =>
        fc.tuple(
          fc.constant(entries),
          fc.shuffledSubarray(entries, {
            minLength: entries.length,
            maxLength: entries.length
          })
        )
      );
    fc.assert(
      fc.property(listAndShuffle, podSuffixArbitrary, (lists, podSuffix) => {
        const [original, shuffled] = lists.map((entries) =>
          toExecutions(entries)
        ) as [Execution[], Execution[]];
        const candidateIds = [
          '',
          STRANGER_ID,
          ...original.map((execution) => execution.id),
          ...original.map((execution) => runnerId(execution, podSuffix))
        ];
        for (const executionId of candidateIds) {
          expect(decisionView(decide(shuffled, executionId))).toEqual(
            decisionView(decide(original, executionId))
          );
        }
      }),
      RUNS
    );
  });

  it('an id that is not listed, or no id, stands aside whenever anything is active', () => {
    fc.assert(
      fc.property(
        listedExecutionsArbitrary(serviceIdArbitrary),
        fc.constantFrom(STRANGER_ID, ''),
        (listed, executionId) => {
          const executions = toExecutions(listed.map(({ entry }) => entry));
          const active = sortOldestFirst(executions.filter(isActive));
          const decision = decide(executions, executionId);
          expect(decision.thisExecution).toBeNull();
          expect(decision.skip).toBe(active.length > 0);
          expect(decision.blocking?.id).toBe(active[0]?.id);
        }
      ),
      RUNS
    );
  });
});

describe('toExecutions and decide, on whatever the service may send', () => {
  const anythingAtAll = fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withBigInt: true,
    withDate: true,
    withNullPrototype: true,
    withObjectString: true
  });
  // Objects carrying the fields the check reads, with values of any kind.
  const entryOfAnyShape = fc.record(
    {
      id: anythingAtAll,
      status: fc.oneof(
        fc.constantFrom(...ACTIVE_STATUS_SPELLINGS),
        anythingAtAll
      ),
      start_time: fc.oneof(startTimeArbitrary, anythingAtAll),
      type: anythingAtAll,
      started_by: anythingAtAll,
      logs_url: anythingAtAll
    },
    { requiredKeys: [] }
  );
  const executionIdArbitrary = fc.oneof(
    fc.string(),
    serviceIdArbitrary,
    fc.constant('')
  );

  /** The answer as the client reads it: a list, or one value in a list. */
  function asEntries(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [value];
  }

  function decideOn(value: unknown, executionId: string): void {
    const executions = toExecutions(asEntries(value));
    for (const execution of executions) {
      expect(typeof execution.id).toBe('string');
      expect(typeof execution.status).toBe('string');
    }
    assertWellFormed(decide(executions, executionId));
  }

  it('never throws on fc.anything(), alone or in lists', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anythingAtAll,
          fc.array(fc.oneof(anythingAtAll, entryOfAnyShape), { maxLength: 8 })
        ),
        executionIdArbitrary,
        (value, executionId) => {
          expect(() => decideOn(value, executionId)).not.toThrow();
        }
      ),
      RUNS
    );
  });

  it('never throws on any JSON text the service could answer', () => {
    const jsonEntryOfAnyShape = fc.record(
      {
        id: fc.jsonValue(),
        status: fc.oneof(
          fc.constantFrom(...ACTIVE_STATUS_SPELLINGS),
          fc.jsonValue()
        ),
        start_time: fc.oneof(
          fc.constantFrom(...SAME_INSTANT_SPELLINGS.flat()),
          fc.jsonValue()
        )
      },
      { requiredKeys: [] }
    );
    const jsonText = fc.oneof(
      fc.json(),
      fc
        .array(jsonEntryOfAnyShape, { maxLength: 8 })
        .map((entries) => JSON.stringify(entries))
    );
    fc.assert(
      fc.property(jsonText, executionIdArbitrary, (text, executionId) => {
        const parsed: unknown = JSON.parse(text);
        expect(() => decideOn(parsed, executionId)).not.toThrow();
      }),
      RUNS
    );
  });
});
