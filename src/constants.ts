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
  HttpRetries: 'http-retries',
  WaitTimeoutSeconds: 'wait-timeout-seconds',
  PollIntervalSeconds: 'poll-interval-seconds',
  JobSummary: 'job-summary'
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

/**
 * action.yml's defaults, for callers the runner does not fill them in for:
 * the command line and the library. A test keeps the two equal.
 */
export const INPUT_DEFAULTS: Readonly<Record<InputName, string>> = {
  'job-name': '',
  team: '',
  'execution-id': '',
  'api-url': '',
  'api-token': '',
  'api-token-authorization-url': '',
  enabled: '',
  'on-error': 'proceed',
  'termination-message-path': '',
  'http-timeout-seconds': '30',
  'http-retries': '3',
  'wait-timeout-seconds': '0',
  'poll-interval-seconds': '15',
  'job-summary': 'true'
};

export const DEFAULT_HTTP_TIMEOUT_SECONDS = Number(
  INPUT_DEFAULTS[Input.HttpTimeoutSeconds]
);
export const DEFAULT_HTTP_RETRIES = Number(INPUT_DEFAULTS[Input.HttpRetries]);
export const DEFAULT_POLL_INTERVAL_SECONDS = Number(
  INPUT_DEFAULTS[Input.PollIntervalSeconds]
);

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
/** The longest wait mode: a day, far beyond any sensible workflow step. */
export const MAX_WAIT_TIMEOUT_SECONDS = 86_400;
