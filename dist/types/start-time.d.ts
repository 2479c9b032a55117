/**
 * A start time reduced to something every runner compares the same way:
 * milliseconds since the epoch, and the nanoseconds within that millisecond
 * that the service may send (Java prints up to nine fraction digits).
 */
export interface Instant {
    epochMs: number;
    nanosWithinMs: number;
}
/** The instant a start time names, or null when it is not strict ISO 8601. */
export declare function parseStartTime(text: string): Instant | null;
/** Negative when a is earlier, positive when later, 0 when equal. */
export declare function compareInstants(a: Instant, b: Instant): number;
