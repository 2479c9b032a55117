import { ConcurrentExecutionChecker, type CheckResult } from './checker.js';
import { OnError, Reason } from './constants.js';
import { CheckFailedError, describeError } from './errors.js';
import type { Logger } from './logger.js';
import {
  normaliseProxyEnvironment,
  proxyPasswords,
  routeTo
} from './proxy-environment.js';
import type { Settings } from './settings.js';
import { skippedMessage, writeWholeFile } from './termination-message.js';
import { ACTION_VERSION } from './version.js';

/** What the action and the command line report, whatever happened. */
export interface Outcome {
  skipped: boolean;
  reason: Reason;
  /** '' when nothing blocks, or the blocking entry has no id. */
  blockingExecutionId: string;
  /** The termination message file written; '' when none was. */
  terminationMessagePath: string;
  /** The decision, when the check was made and completed. */
  result: CheckResult | null;
  /** Why the check could not be completed; '' when it was. */
  problem: string;
  /** The X-OPID sent with this check's requests; '' when none was sent. */
  operationId: string;
}

/** Raised when the check failed and on-error is fail. */
export class CheckFailedStopError extends CheckFailedError {
  override name = 'CheckFailedStopError';

  constructor(
    message: string,
    /** The X-OPID the failed requests carried. */
    readonly operationId: string
  ) {
    super(message);
  }
}

/** Writes the termination message; returns the path, or '' on failure. */
async function recordSkip(filePath: string, logger: Logger): Promise<string> {
  try {
    await writeWholeFile(filePath, skippedMessage(ACTION_VERSION));
    logger.info(`Termination message written to ${filePath}.`);
    return filePath;
  } catch (thrown) {
    logger.warning(
      `Could not write the termination message to ${filePath}: ${describeError(thrown)}. The run still stands aside.`
    );
    return '';
  }
}

function warnAboutUnlistedId(
  result: CheckResult,
  settings: Settings,
  logger: Logger
): void {
  if (
    result.skip &&
    settings.executionId !== '' &&
    result.thisExecution === null
  ) {
    // Most often a mistyped or stale id: say so where it will be seen.
    logger.warning(
      `execution-id ${JSON.stringify(settings.executionId)} is not among the active executions of data job ${JSON.stringify(settings.jobName)}, so every one of them counts as older. Check that it is this run's id as the Control Service lists it, optionally followed by a pod suffix such as -x7k2p.`
    );
  }
}

/**
 * Says how the requests travel. Through a proxy is worth a line of the log
 * behind a corporate proxy; directly is a detail.
 */
function logRoutes(settings: Settings, logger: Logger): void {
  const targets: [string, URL | null][] = [
    ['Control Service', settings.apiUrl],
    ['API-token login', settings.apiTokenAuthorizationUrl]
  ];
  for (const [what, url] of targets) {
    if (url === null) continue;
    const route = routeTo(url, process.env);
    const line = `Requests to the ${what} go ${route.description}.`;
    if (route.throughProxy) logger.info(line);
    else logger.debug(line);
  }
}

/**
 * Asks, decides, applies on-error and writes the termination message: the
 * behaviour the action and the command line share. Throws
 * CheckFailedStopError when the check failed and on-error is fail.
 */
export async function runCheck(
  settings: Settings,
  logger: Logger
): Promise<Outcome> {
  if (!settings.enabled || settings.apiUrl === null) {
    logger.info('The execution skip check is disabled: going ahead.');
    return {
      skipped: false,
      reason: Reason.CheckDisabled,
      blockingExecutionId: '',
      terminationMessagePath: '',
      result: null,
      problem: '',
      operationId: ''
    };
  }
  normaliseProxyEnvironment(
    process.env,
    [settings.apiUrl, settings.apiTokenAuthorizationUrl].filter(
      (url): url is URL => url !== null
    )
  );
  for (const password of proxyPasswords(process.env)) logger.mask(password);
  const who = settings.executionId
    ? `this execution: ${JSON.stringify(settings.executionId)}`
    : 'no execution-id given';
  logger.info(
    `Checking data job ${JSON.stringify(settings.jobName)} of team ${JSON.stringify(settings.team)} at ${settings.apiUrl.href} (${who}).`
  );
  logRoutes(settings, logger);
  const checker = new ConcurrentExecutionChecker(settings.apiUrl, {
    apiToken: settings.apiToken,
    apiTokenAuthorizationUrl: settings.apiTokenAuthorizationUrl,
    httpTimeoutSeconds: settings.httpTimeoutSeconds,
    httpRetries: settings.httpRetries,
    logger
  });
  let skipped: boolean;
  let result: CheckResult | null = null;
  let problem = '';
  try {
    result = await checker.check(
      settings.jobName,
      settings.team,
      settings.executionId,
      {
        timeoutSeconds: settings.waitTimeoutSeconds,
        pollIntervalSeconds: settings.pollIntervalSeconds
      }
    );
    warnAboutUnlistedId(result, settings, logger);
    skipped = result.skip;
  } catch (thrown) {
    if (!(thrown instanceof CheckFailedError)) throw thrown;
    const failed = `Could not check for other executions: ${thrown.message}.`;
    if (settings.onError === OnError.Fail) {
      throw new CheckFailedStopError(
        `${failed} Failing (on-error: fail).`,
        checker.lastOperationId
      );
    }
    skipped = settings.onError === OnError.Skip;
    problem = thrown.message;
    logger.warning(
      skipped
        ? `${failed} Standing aside (on-error: skip).`
        : `${failed} Going ahead (on-error: proceed).`
    );
  }
  return {
    skipped,
    reason: result?.reason ?? Reason.CheckFailed,
    blockingExecutionId: result?.blocking?.id ?? '',
    terminationMessagePath: skipped
      ? await recordSkip(settings.terminationMessagePath, logger)
      : '',
    result,
    problem,
    operationId: checker.lastOperationId
  };
}
