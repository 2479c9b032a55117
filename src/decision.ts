import { Reason } from './constants.js';
import type { Execution } from './executions.js';
import { compareInstants, parseStartTime, type Instant } from './start-time.js';

const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['submitted', 'running']);

// Kubernetes appends "-" and five lowercase letters or digits to the
// execution id to name the pod, and VDK uses the pod name as its own id.
const POD_SUFFIX = /^-[a-z0-9]{5}$/;

export function isActive(execution: Execution): boolean {
  return ACTIVE_STATUSES.has(execution.status);
}

/**
 * True when the service's execution id names this run: the ids are equal, or
 * this run's id is the service's id plus a pod suffix. A plain prefix is not
 * enough: "job-176480640" is not "job-1764806400-x7k2p".
 */
export function isSameExecution(
  serviceId: string,
  thisExecutionId: string
): boolean {
  if (serviceId === '' || thisExecutionId === '') return false;
  if (serviceId === thisExecutionId) return true;
  return (
    thisExecutionId.startsWith(serviceId) &&
    POD_SUFFIX.test(thisExecutionId.slice(serviceId.length))
  );
}

function startInstant(execution: Execution): Instant | null {
  return execution.startTime === null
    ? null
    : parseStartTime(execution.startTime);
}

/** Oldest first; a missing or unreadable start time sorts last. */
function compareStarts(a: Instant | null, b: Instant | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareInstants(a, b);
}

/**
 * The executions oldest first. A missing or unreadable start time sorts
 * last; ties are broken by id in code-unit order, the same on every runner.
 */
export function sortOldestFirst(executions: readonly Execution[]): Execution[] {
  const ranked = executions.map((execution) => ({
    execution,
    start: startInstant(execution)
  }));
  ranked.sort((a, b) => {
    const byStart = compareStarts(a.start, b.start);
    if (byStart !== 0) return byStart;
    if (a.execution.id === b.execution.id) return 0;
    return a.execution.id < b.execution.id ? -1 : 1;
  });
  return ranked.map(({ execution }) => execution);
}

/** True when both start at the same instant, or both have no readable one. */
export function startTogether(a: Execution, b: Execution): boolean {
  return compareStarts(startInstant(a), startInstant(b)) === 0;
}

export interface Decision {
  /** True when this run must stand aside. */
  skip: boolean;
  reason: typeof Reason.NoOtherExecution | typeof Reason.OtherExecutionRunning;
  /** The oldest active execution that is not this run and comes first. */
  blocking: Execution | null;
  /** Active executions, oldest first. */
  active: Execution[];
  /** The service's entry for this run, when the list holds it. */
  thisExecution: Execution | null;
}

/**
 * Decides whether this run stands aside. Every run that sees the same list
 * orders it the same way, so of several runs that start together exactly
 * one, the first in that order, goes ahead.
 */
export function decide(
  executions: readonly Execution[],
  thisExecutionId: string
): Decision {
  // The service filters by status too, but its answer may be unfiltered or
  // stale, so only submitted and running entries count.
  const active = sortOldestFirst(executions.filter(isActive));
  // An entry with exactly this run's id is this run; only without one does
  // an id plus a pod suffix count, so that "job-1" and "job-1-x7k2p" in one
  // list cannot both be this run.
  const exact = active.some((execution) => execution.id === thisExecutionId);
  const mine = (execution: Execution): boolean =>
    exact
      ? execution.id === thisExecutionId
      : isSameExecution(execution.id, thisExecutionId);
  const thisExecution = active.find(mine) ?? null;
  // When this run is listed, only those before it block; when it is not
  // (or has no id), every other active execution does.
  const blocking = active.find((execution) => !mine(execution)) ?? null;
  const blocks =
    blocking !== null &&
    (thisExecution === null ||
      active.indexOf(blocking) < active.indexOf(thisExecution));
  return {
    skip: blocks,
    reason: blocks ? Reason.OtherExecutionRunning : Reason.NoOtherExecution,
    blocking: blocks ? blocking : null,
    active,
    thisExecution
  };
}
