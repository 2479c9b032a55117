/** Input names, exactly as action.yml declares them. */
export const Input = {
  JobName: 'job-name',
  Team: 'team',
  ExecutionId: 'execution-id',
  ApiUrl: 'api-url',
  ApiToken: 'api-token',
  ApiTokenAuthorizationUrl: 'api-token-authorization-url',
  Enabled: 'enabled',
  OnError: 'on-error',
  TerminationMessagePath: 'termination-message-path',
  HttpTimeoutSeconds: 'http-timeout-seconds',
  HttpRetries: 'http-retries'
} as const;

/** Output names, exactly as action.yml declares them. */
export const Output = {
  Skipped: 'skipped',
  Reason: 'reason',
  BlockingExecutionId: 'blocking-execution-id',
  TerminationMessagePath: 'termination-message-path'
} as const;

/** The environment variables VDK itself reads for the same settings. */
export const VdkEnv = {
  ApiUrl: 'VDK_CONTROL_SERVICE_REST_API_URL',
  ApiToken: 'VDK_API_TOKEN',
  ApiTokenAuthorizationUrl: 'VDK_API_TOKEN_AUTHORIZATION_URL',
  Enabled: 'VDK_EXECUTION_SKIP_CHECKER_ENABLED'
} as const;

export const Reason = {
  NoOtherExecution: 'no-other-execution',
  OtherExecutionRunning: 'other-execution-running',
  CheckDisabled: 'check-disabled',
  CheckFailed: 'check-failed'
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const OnError = {
  Proceed: 'proceed',
  Skip: 'skip',
  Fail: 'fail'
} as const;
export type OnError = (typeof OnError)[keyof typeof OnError];

/** File name used under RUNNER_TEMP when no path is given. */
export const DEFAULT_TERMINATION_FILE_NAME = 'vdk-termination-log.json';

/** Upper bounds of http-retries and http-timeout-seconds, so that the worst
 * case stays bounded and within what a Node timer can count. */
export const MAX_HTTP_RETRIES = 10;
export const MAX_HTTP_TIMEOUT_SECONDS = 3600;
