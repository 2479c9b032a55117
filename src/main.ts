import * as core from '@actions/core';
import { Output, Reason } from './constants.js';
import { describeError } from './errors.js';
import type { Logger } from './logger.js';
import { CheckFailedStopError, runCheck, type Outcome } from './run-check.js';
import { readSettings, type Settings } from './settings.js';
import { renderSummary } from './summary.js';

/** The job log, through @actions/core's workflow commands. */
const jobLog: Logger = {
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  warning: (message) => core.warning(message),
  mask: (secret) => core.setSecret(secret)
};

function logSettings(settings: Settings): void {
  const { apiToken, apiUrl, ...shown } = settings;
  core.debug(`api-url: ${apiUrl?.href ?? '(none)'}`);
  core.debug(`api-token: ${apiToken === '' ? '(none)' : '(given, masked)'}`);
  for (const [name, value] of Object.entries(shown)) {
    core.debug(`${name}: ${JSON.stringify(value)}`);
  }
}

function setOutputs(outcome: Outcome): void {
  core.setOutput(Output.Skipped, String(outcome.skipped));
  core.setOutput(Output.Reason, outcome.reason);
  core.setOutput(Output.BlockingExecutionId, outcome.blockingExecutionId);
  core.setOutput(Output.TerminationMessagePath, outcome.terminationMessagePath);
}

async function writeSummary(
  settings: Settings,
  outcome: Outcome
): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    core.debug('No GITHUB_STEP_SUMMARY file: no job summary written.');
    return;
  }
  try {
    await core.summary.addRaw(renderSummary(settings, outcome)).write();
  } catch (thrown) {
    core.warning(`Could not write the job summary: ${describeError(thrown)}`);
  }
}

/** The action: read the inputs, decide, report. Never throws. */
export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env);
    // Masked before anything else happens, and before any request.
    if (settings.apiToken !== '') core.setSecret(settings.apiToken);
    logSettings(settings);
    let outcome: Outcome;
    try {
      outcome = await runCheck(settings, jobLog);
    } catch (thrown) {
      if (thrown instanceof CheckFailedStopError) {
        // Only the reason: whether to go ahead is not decided, and a step
        // that continues on error can still tell why this one failed.
        core.setOutput(Output.Reason, Reason.CheckFailed);
      }
      throw thrown;
    }
    setOutputs(outcome);
    if (settings.jobSummary) await writeSummary(settings, outcome);
  } catch (thrown) {
    core.setFailed(describeError(thrown));
  }
}
