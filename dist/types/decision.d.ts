import { Reason } from './constants.js';
import type { Execution } from './executions.js';
export declare function isActive(execution: Execution): boolean;
/**
 * True when the service's execution id names this run: the ids are equal, or
 * this run's id is the service's id plus a pod suffix. A plain prefix is not
 * enough: "job-176480640" is not "job-1764806400-x7k2p".
 */
export declare function isSameExecution(serviceId: string, thisExecutionId: string): boolean;
/**
 * The executions oldest first. A missing or unreadable start time sorts
 * last; ties are broken by id in code-unit order, the same on every runner.
 */
export declare function sortOldestFirst(executions: readonly Execution[]): Execution[];
/** True when both start at the same instant, or both have no readable one. */
export declare function startTogether(a: Execution, b: Execution): boolean;
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
export declare function decide(executions: readonly Execution[], thisExecutionId: string): Decision;
