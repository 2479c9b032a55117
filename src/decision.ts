import { Reason } from './constants.js';
import type { Execution } from './executions.js';

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

function startTimeKey(execution: Execution): number {
  if (execution.startTime === null) return Number.POSITIVE_INFINITY;
  const time = Date.parse(execution.startTime);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/**
 * Oldest first; a missing or unreadable start time sorts last; ties are
 * broken by id in code-unit order, which is the same on every runner.
 */
export function compareExecutions(a: Execution, b: Execution): number {
  const timeA = startTimeKey(a);
  const timeB = startTimeKey(b);
  if (timeA !== timeB) return timeA < timeB ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
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
  const active = executions.filter(isActive).sort(compareExecutions);
  const mine = (execution: Execution): boolean =>
    isSameExecution(execution.id, thisExecutionId);
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
