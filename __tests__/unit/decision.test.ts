import { describe, expect, it } from 'vitest';
import {
  decide,
  isSameExecution,
  sortOldestFirst,
  startTogether
} from '../../src/decision.js';
import { toExecution, type Execution } from '../../src/executions.js';

function execution(
  id: string,
  status: string,
  startTime: string | null = '2026-12-04T10:00:00Z'
): Execution {
  return {
    id,
    status,
    startTime,
    type: 'scheduled',
    startedBy: 'scheduled/runtime',
    logsUrl: null
  };
}

describe('isSameExecution', () => {
  it('matches equal ids', () => {
    expect(isSameExecution('ingest-1764806400', 'ingest-1764806400')).toBe(
      true
    );
  });

  it('matches the service id plus a pod suffix', () => {
    expect(
      isSameExecution('ingest-1764806400', 'ingest-1764806400-x7k2p')
    ).toBe(true);
  });

  it.each([
    ['a plain prefix', 'ingest-176480640', 'ingest-1764806400-x7k2p'],
    ['a suffix that is too short', 'ingest-1', 'ingest-1-x7k2'],
    ['a suffix that is too long', 'ingest-1', 'ingest-1-x7k2pq'],
    ['upper case in the suffix', 'ingest-1', 'ingest-1-X7K2P'],
    ['no dash before the suffix', 'ingest-1', 'ingest-1x7k2p'],
    ['the service id longer than this id', 'ingest-1-x7k2p', 'ingest-1'],
    ['an empty service id', '', 'ingest-1'],
    ['an empty execution id', 'ingest-1', '']
  ])('does not match %s', (_, serviceId, thisId) => {
    expect(isSameExecution(serviceId, thisId)).toBe(false);
  });
});

describe('sortOldestFirst', () => {
  const ids = (list: Execution[]): string[] => list.map((e) => e.id);

  it('puts older first, then missing or unreadable start times', () => {
    const list = [
      execution('e', 'running', null),
      execution('d', 'running', 'not started 1'),
      execution('c', 'running', '1'),
      execution('b', 'running', '2026-12-04T11:00:00Z'),
      execution('a', 'running', '2026-12-04T10:00:00+00:00')
    ];
    // Date.parse would read "1" and "not started 1" as 2001: first, not last.
    expect(ids(sortOldestFirst(list))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('compares instants, not text, across time zones', () => {
    const list = [
      execution('z', 'running', '2026-12-04T10:00:00Z'),
      execution('y', 'running', '2026-12-04T11:30:00+02:00')
    ];
    expect(ids(sortOldestFirst(list))).toEqual(['y', 'z']);
  });

  it('tells apart start times that differ below a millisecond', () => {
    const list = [
      execution('a', 'running', '2026-12-04T10:00:00.123900Z'),
      execution('b', 'running', '2026-12-04T10:00:00.123100Z')
    ];
    expect(ids(sortOldestFirst(list))).toEqual(['b', 'a']);
  });

  it('breaks equal start times by id, whatever the input order', () => {
    const first = execution('job-a', 'running');
    const second = execution('job-b', 'running');
    expect(ids(sortOldestFirst([second, first]))).toEqual(['job-a', 'job-b']);
    expect(ids(sortOldestFirst([first, second]))).toEqual(['job-a', 'job-b']);
    expect(startTogether(first, second)).toBe(true);
  });
});

describe('decide', () => {
  it('goes ahead when nothing is active', () => {
    const decision = decide([], 'job-1');
    expect(decision).toMatchObject({
      skip: false,
      reason: 'no-other-execution',
      blocking: null,
      active: []
    });
  });

  it('ignores finished executions even when the service returns them', () => {
    const finished = [
      'succeeded',
      'cancelled',
      'skipped',
      'user_error',
      'platform_error'
    ].map((status, index) => execution(`old-${index}`, status));
    const decision = decide(finished, 'job-1');
    expect(decision.skip).toBe(false);
    expect(decision.active).toHaveLength(0);
  });

  it('stands aside for an older running execution', () => {
    const decision = decide(
      [
        execution('job-2', 'running', '2026-12-04T11:00:00Z'),
        execution('job-1', 'submitted', '2026-12-04T10:00:00Z')
      ],
      'job-2-abcde'
    );
    expect(decision.skip).toBe(true);
    expect(decision.reason).toBe('other-execution-running');
    expect(decision.blocking?.id).toBe('job-1');
    expect(decision.thisExecution?.id).toBe('job-2');
  });

  it('goes ahead when the only other execution is newer', () => {
    const decision = decide(
      [
        execution('job-2', 'submitted', '2026-12-04T11:00:00Z'),
        execution('job-1', 'running', '2026-12-04T10:00:00Z')
      ],
      'job-1'
    );
    expect(decision.skip).toBe(false);
    expect(decision.blocking).toBeNull();
  });

  it('treats a plain prefix as another execution', () => {
    const decision = decide(
      [execution('ingest-176480640', 'running')],
      'ingest-1764806400-x7k2p'
    );
    expect(decision.skip).toBe(true);
    expect(decision.blocking?.id).toBe('ingest-176480640');
  });

  it('lets any active execution block when this run is not listed', () => {
    const decision = decide(
      [execution('job-9', 'running', '2026-12-04T23:00:00Z')],
      'job-1'
    );
    expect(decision.skip).toBe(true);
    expect(decision.blocking?.id).toBe('job-9');
  });

  it('blocks on the oldest when no execution id is given', () => {
    const decision = decide(
      [
        execution('job-3', 'running', '2026-12-04T12:00:00Z'),
        execution('job-2', 'running', '2026-12-04T11:00:00Z')
      ],
      ''
    );
    expect(decision.blocking?.id).toBe('job-2');
  });

  it('does not block itself when listed with a pod suffix', () => {
    const decision = decide([execution('job-1', 'running')], 'job-1-7x8y9');
    expect(decision.skip).toBe(false);
    expect(decision.thisExecution?.id).toBe('job-1');
  });

  it('prefers an exact id over an id with a pod suffix', () => {
    // Not a shape the service gives, but two runs must never both go ahead.
    const list = [
      execution('job-1', 'running', '2026-12-04T10:00:00Z'),
      execution('job-1-x7k2p', 'running', '2026-12-04T11:00:00Z')
    ];
    expect(decide(list, 'job-1').skip).toBe(false);
    expect(decide(list, 'job-1-x7k2p').skip).toBe(true);
  });

  it('lets exactly one of several simultaneous runs go ahead', () => {
    const ids = ['job-c', 'job-a', 'job-d', 'job-b'];
    const list = ids.map((id) => execution(id, 'running'));
    const goingAhead = ids.filter((id) => !decide(list, `${id}-pod01`).skip);
    expect(goingAhead).toEqual(['job-a']);
  });

  it('reads status case-insensitively and entries of any shape', () => {
    const entries = [
      { id: 'job-0', status: 'RUNNING', start_time: '2026-12-04T09:00:00Z' },
      null,
      42,
      ['x'],
      { status: 'running' }
    ].map(toExecution);
    const decision = decide(
      entries.filter((entry): entry is Execution => entry !== null),
      'job-1'
    );
    expect(decision.active.map((entry) => entry.id)).toEqual(['job-0', '']);
    expect(decision.blocking?.id).toBe('job-0');
  });
});
