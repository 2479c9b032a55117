import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from './logger.js';
/** What every request of one run shares. */
export interface CallSettings {
    userAgent: string;
    /** Sent as X-OPID, so that the service's logs can be searched for it. */
    operationId: string;
    /** Deadline of one attempt, from sending to the last byte of the body. */
    timeoutSeconds: number;
    /** Further attempts after a failed one. */
    retries: number;
    /** Epoch milliseconds after which no further attempt starts. */
    noAttemptAfter?: number;
    logger: Logger;
}
export interface RequestOptions extends CallSettings {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    /** Sent as it is; only with POST. */
    body?: string;
}
export interface HttpAnswer {
    status: number;
    statusText: string;
    headers: IncomingHttpHeaders;
    body: string;
    /** How many attempts it took to get this answer. */
    attempts: number;
    /** Where the answer came from, after any redirects. */
    url: URL;
}
/** Far above any list of executions; a larger answer is not the service. */
export declare const MAX_BODY_BYTES: number;
/** The longest wait a Retry-After header can ask for before a retry. */
export declare const MAX_RETRY_AFTER_SECONDS = 30;
/**
 * The wait a Retry-After header asks for, in seconds or as an HTTP date,
 * capped so that a server cannot hold the check for long; null without one.
 */
export declare function retryAfterMs(header: string | string[] | undefined, now?: number): number | null;
/**
 * Sends the request, retrying connection errors, timeouts, 5xx and 429
 * answers. Any other answer is returned for the caller to judge, and so is
 * the last one when retries run out. Throws CheckFailedError when no
 * attempt got an answer.
 */
export declare function sendWithRetries(url: URL, options: RequestOptions): Promise<HttpAnswer>;
