import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { exchangeApiToken } from './api-token.js';
import { OnError, Output, Reason } from './constants.js';
import { fetchExecutions } from './control-service.js';
import { decide } from './decision.js';
import { logDecision } from './decision-log.js';
import { CheckFailedError, describeError } from './errors.js';
import type { CallSettings } from './http.js';
import { normaliseProxyEnvironment } from './proxy-environment.js';
import { readSettings, type Settings } from './settings.js';
import { skippedMessage, writeWholeFile } from './termination-message.js';
import { ACTION_VERSION, USER_AGENT } from './version.js';

interface Outcome {
  skipped: boolean;
  reason: Reason;
  blockingExecutionId: string;
}

function logSettings(settings: Settings): void {
  const { apiToken, apiUrl, ...shown } = settings;
  core.debug(`api-url: ${apiUrl?.href ?? '(none)'}`);
  core.debug(`api-token: ${apiToken === '' ? '(none)' : '(given, masked)'}`);
  for (const [name, value] of Object.entries(shown)) {
    core.debug(`${name}: ${JSON.stringify(value)}`);
  }
}

async function check(settings: Settings, apiUrl: URL): Promise<Outcome> {
  const who = settings.executionId
    ? `this execution: ${JSON.stringify(settings.executionId)}`
    : 'no execution-id given';
  core.info(
    `Checking data job ${JSON.stringify(settings.jobName)} of team ${JSON.stringify(settings.team)} at ${apiUrl.href} (${who}).`
  );
  const call: CallSettings = {
    userAgent: USER_AGENT,
    operationId: newOperationId(),
    timeoutSeconds: settings.httpTimeoutSeconds,
    retries: settings.httpRetries
  };
  core.info(`Operation id (X-OPID): ${call.operationId}`);
  try {
    const accessToken = settings.apiTokenAuthorizationUrl
      ? await exchangeApiToken(
          settings.apiTokenAuthorizationUrl,
          settings.apiToken,
          call
        )
      : settings.apiToken;
    const executions = await fetchExecutions({
      apiUrl,
      team: settings.team,
      jobName: settings.jobName,
      accessToken,
      call
    });
    core.debug(`The Control Service listed ${executions.length} executions.`);
    const decision = decide(executions, settings.executionId);
    logDecision(decision, settings.executionId);
    if (
      decision.skip &&
      settings.executionId !== '' &&
      decision.thisExecution === null
    ) {
      // Most often a mistyped or stale id: say so where it will be seen.
      core.warning(
        `execution-id ${JSON.stringify(settings.executionId)} is not among the active executions of data job ${JSON.stringify(settings.jobName)}, so every one of them counts as older. Check that it is this run's id as the Control Service lists it, optionally followed by a pod suffix such as -x7k2p.`
      );
    }
    return {
      skipped: decision.skip,
      reason: decision.reason,
      blockingExecutionId: decision.blocking?.id ?? ''
    };
  } catch (thrown) {
    if (!(thrown instanceof CheckFailedError)) throw thrown;
    return onCheckFailed(settings.onError, thrown.message);
  }
}

/** One id per run, 16 hex digits, as VDK's clients send in X-OPID. */
function newOperationId(): string {
  return randomBytes(8).toString('hex');
}

function onCheckFailed(onError: OnError, problem: string): Outcome {
  const failed = `Could not check for other executions: ${problem}.`;
  if (onError === OnError.Fail) {
    // Only the reason: whether to go ahead is not decided, and a step that
    // continues on error can still tell why this one failed.
    core.setOutput(Output.Reason, Reason.CheckFailed);
    throw new CheckFailedError(`${failed} Failing the step (on-error: fail).`);
  }
  const skipped = onError === OnError.Skip;
  core.warning(
    skipped
      ? `${failed} Standing aside (on-error: skip).`
      : `${failed} Going ahead (on-error: proceed).`
  );
  return { skipped, reason: Reason.CheckFailed, blockingExecutionId: '' };
}

/** Writes the termination message; returns the path, or '' on failure. */
async function recordSkip(filePath: string): Promise<string> {
  try {
    await writeWholeFile(filePath, skippedMessage(ACTION_VERSION));
    core.info(`Termination message written to ${filePath}.`);
    return filePath;
  } catch (thrown) {
    core.warning(
      `Could not write the termination message to ${filePath}: ${describeError(thrown)}. The run still stands aside.`
    );
    return '';
  }
}

function setOutputs(outcome: Outcome, terminationMessagePath: string): void {
  core.setOutput(Output.Skipped, String(outcome.skipped));
  core.setOutput(Output.Reason, outcome.reason);
  core.setOutput(Output.BlockingExecutionId, outcome.blockingExecutionId);
  core.setOutput(Output.TerminationMessagePath, terminationMessagePath);
}

/** The action: read the inputs, decide, report. Never throws. */
export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env);
    if (settings.apiToken !== '') core.setSecret(settings.apiToken);
    normaliseProxyEnvironment(process.env);
    logSettings(settings);
    if (!settings.enabled || settings.apiUrl === null) {
      core.info('The execution skip check is disabled: going ahead.');
      setOutputs(
        {
          skipped: false,
          reason: Reason.CheckDisabled,
          blockingExecutionId: ''
        },
        ''
      );
      return;
    }
    const outcome = await check(settings, settings.apiUrl);
    const writtenPath = outcome.skipped
      ? await recordSkip(settings.terminationMessagePath)
      : '';
    setOutputs(outcome, writtenPath);
  } catch (thrown) {
    core.setFailed(describeError(thrown));
  }
}
