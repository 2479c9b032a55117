/** Input names, exactly as action.yml declares them. */
export declare const Input: {
    readonly JobName: "job-name";
    readonly Team: "team";
    readonly ExecutionId: "execution-id";
    readonly ApiUrl: "api-url";
    readonly ApiToken: "api-token";
    readonly ApiTokenAuthorizationUrl: "api-token-authorization-url";
    readonly Enabled: "enabled";
    readonly OnError: "on-error";
    readonly TerminationMessagePath: "termination-message-path";
    readonly HttpTimeoutSeconds: "http-timeout-seconds";
    readonly HttpRetries: "http-retries";
    readonly WaitTimeoutSeconds: "wait-timeout-seconds";
    readonly PollIntervalSeconds: "poll-interval-seconds";
    readonly JobSummary: "job-summary";
};
export type InputName = (typeof Input)[keyof typeof Input];
/**
 * action.yml's defaults, for callers the runner does not fill them in for:
 * the command line and the library. A test keeps the two equal.
 */
export declare const INPUT_DEFAULTS: Readonly<Record<InputName, string>>;
export declare const DEFAULT_HTTP_TIMEOUT_SECONDS: number;
export declare const DEFAULT_HTTP_RETRIES: number;
export declare const DEFAULT_POLL_INTERVAL_SECONDS: number;
/** Output names, exactly as action.yml declares them. */
export declare const Output: {
    readonly Skipped: "skipped";
    readonly Reason: "reason";
    readonly BlockingExecutionId: "blocking-execution-id";
    readonly TerminationMessagePath: "termination-message-path";
};
/** The environment variables VDK itself reads for the same settings. */
export declare const VdkEnv: {
    readonly ApiUrl: "VDK_CONTROL_SERVICE_REST_API_URL";
    readonly ApiToken: "VDK_API_TOKEN";
    readonly ApiTokenAuthorizationUrl: "VDK_API_TOKEN_AUTHORIZATION_URL";
    readonly Enabled: "VDK_EXECUTION_SKIP_CHECKER_ENABLED";
};
export declare const Reason: {
    readonly NoOtherExecution: "no-other-execution";
    readonly OtherExecutionRunning: "other-execution-running";
    readonly CheckDisabled: "check-disabled";
    readonly CheckFailed: "check-failed";
};
export type Reason = (typeof Reason)[keyof typeof Reason];
export declare const OnError: {
    readonly Proceed: "proceed";
    readonly Skip: "skip";
    readonly Fail: "fail";
};
export type OnError = (typeof OnError)[keyof typeof OnError];
/** File name used under RUNNER_TEMP when no path is given. */
export declare const DEFAULT_TERMINATION_FILE_NAME = "vdk-termination-log.json";
/** Upper bounds of http-retries and http-timeout-seconds, so that the worst
 * case stays bounded and within what a Node timer can count. */
export declare const MAX_HTTP_RETRIES = 10;
export declare const MAX_HTTP_TIMEOUT_SECONDS = 3600;
/** The longest wait mode: a day, far beyond any sensible workflow step. */
export declare const MAX_WAIT_TIMEOUT_SECONDS = 86400;
