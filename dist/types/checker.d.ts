import { type Decision } from './decision.js';
import { type Logger } from './logger.js';
export interface CheckerOptions {
    /**
     * Bearer access token, or a VDK API token when `apiTokenAuthorizationUrl`
     * is given; none sends no Authorization header.
     */
    apiToken?: string;
    /** Where a VDK API token is exchanged for an access token. */
    apiTokenAuthorizationUrl?: URL | null;
    /** Deadline of one attempt of a request; 30 s when not given. */
    httpTimeoutSeconds?: number;
    /** Further attempts after a failed one; 3 when not given. */
    httpRetries?: number;
    /** Where progress goes; nowhere when not given. */
    logger?: Logger;
}
export interface WaitOptions {
    /** How long to wait for older executions to end; 0 (the default) decides at once. */
    timeoutSeconds?: number;
    /** How long between two questions to the service; 15 by default, as in the action. */
    pollIntervalSeconds?: number;
}
export interface CheckResult extends Decision {
    /** Seconds spent waiting for older executions, 0 without wait mode. */
    waitedSeconds: number;
    /** Questions asked to the Control Service. */
    polls: number;
    /** The X-OPID sent with every request of this check. */
    operationId: string;
}
/**
 * Asks the VDK Control Service whether a data job execution must stand
 * aside because an older execution of the same job is submitted or running.
 * Failures to ask throw CheckFailedError; what to do then is the caller's.
 */
export declare class ConcurrentExecutionChecker {
    private readonly apiUrl;
    private readonly options;
    private readonly logger;
    private accessToken;
    /**
     * The X-OPID of the latest check, also when it failed, so that the
     * service's logs can be searched for it; '' before the first check.
     */
    lastOperationId: string;
    /**
     * @param apiUrl The Control Service REST API base URL, base path included.
     * @throws ConfigurationError when it is not an http(s) URL.
     */
    constructor(apiUrl: URL | string, options?: CheckerOptions);
    /**
     * True when another execution of the job is submitted or running and
     * comes before this one, as VDK's class of the same name answers.
     */
    isJobExecutionRunning(jobName: string, team: string, executionId?: string): Promise<boolean>;
    /**
     * The whole decision. With `wait`, asks again every poll interval while an
     * older execution is active, until none is left or waiting longer would
     * pass the timeout.
     */
    check(jobName: string, team: string, executionId?: string, wait?: WaitOptions): Promise<CheckResult>;
    private ask;
    /** The access token, exchanged once per checker when login is needed. */
    private bearerToken;
}
