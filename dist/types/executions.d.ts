/** One data job execution, as far as the check needs to know it. */
export interface Execution {
    id: string;
    status: string;
    /** ISO 8601 as the service sent it; null when absent. */
    startTime: string | null;
    type: string | null;
    startedBy: string | null;
    logsUrl: string | null;
}
/**
 * Reads one entry of the service's answer. Any field may be null or missing;
 * an entry that is not an object carries nothing and is dropped.
 */
export declare function toExecution(entry: unknown): Execution | null;
export declare function toExecutions(entries: readonly unknown[]): Execution[];
