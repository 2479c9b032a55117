import { parseArgs, type ParseArgsConfig } from 'node:util';
import { INPUT_DEFAULTS, Input, Reason, type InputName } from './constants.js';
import { ConfigurationError, describeError } from './errors.js';
import type { Execution } from './executions.js';
import type { Logger } from './logger.js';
import { CheckFailedStopError, runCheck, type Outcome } from './run-check.js';
import { readSettings } from './settings.js';
import { ACTION_VERSION } from './version.js';

/** What the exit code says, for scripts and CI systems. */
export const ExitCode = {
  GoAhead: 0,
  CheckFailed: 1,
  BadUsage: 2,
  // EX_TEMPFAIL from sysexits.h: try again later.
  StandAside: 75
} as const;

/** Every input but the job summary, which only a GitHub runner shows. */
const FLAG_INPUTS: readonly InputName[] = Object.values(Input).filter(
  (name) => name !== Input.JobSummary
);

const OPTIONS = {
  ...Object.fromEntries(
    FLAG_INPUTS.map((name) => [name, { type: 'string' as const }])
  ),
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} satisfies ParseArgsConfig['options'];

const HELP = `Usage: vdk-execution-skip --job-name NAME --team TEAM [options]

Asks the VDK Control Service whether another execution of the data job is
submitted or running and comes before this one.

Options (each falls back as the action's input of the same name does):
  --job-name NAME              data job name (required)
  --team TEAM                  team that owns the job (required)
  --execution-id ID            this run's execution id; empty: every active
                               execution counts as another one
  --api-url URL                Control Service REST API base URL
                               (env VDK_CONTROL_SERVICE_REST_API_URL)
  --api-token TOKEN            access token, or VDK API token with
                               --api-token-authorization-url (env
                               VDK_API_TOKEN; prefer the variable: flags
                               show in the process list)
  --api-token-authorization-url URL
                               where the API token is exchanged
                               (env VDK_API_TOKEN_AUTHORIZATION_URL)
  --enabled true|false         false: no check, go ahead
                               (env VDK_EXECUTION_SKIP_CHECKER_ENABLED)
  --on-error proceed|skip|fail when the check cannot be completed
                               (default ${INPUT_DEFAULTS[Input.OnError]})
  --termination-message-path PATH
                               where to write VDK's termination message
                               when standing aside (default
                               $RUNNER_TEMP, else the temp folder, file
                               vdk-termination-log.json)
  --http-timeout-seconds N     deadline of one attempt (default ${INPUT_DEFAULTS[Input.HttpTimeoutSeconds]})
  --http-retries N             retries after a failed attempt (default ${INPUT_DEFAULTS[Input.HttpRetries]})
  --wait-timeout-seconds N     wait up to N s for older executions to end
                               (default ${INPUT_DEFAULTS[Input.WaitTimeoutSeconds]}: decide at once)
  --poll-interval-seconds N    seconds between questions while waiting
                               (default ${INPUT_DEFAULTS[Input.PollIntervalSeconds]})
  --json                       print the decision as one JSON object
  --verbose                    print details to standard error
  -h, --help                   print this help
  --version                    print the version

Exit codes: ${ExitCode.GoAhead} go ahead, ${ExitCode.StandAside} stand aside, ${ExitCode.CheckFailed} the check failed with
--on-error fail, ${ExitCode.BadUsage} bad usage.
`;

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processStreams: CliStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text)
};

/** Progress on standard error, secrets blanked out of every line. */
function stderrLogger(streams: CliStreams, verbose: boolean): Logger {
  const secrets: string[] = [];
  const redact = (text: string): string =>
    secrets.reduce((line, secret) => line.split(secret).join('***'), text);
  return {
    info: (message) => streams.stderr(`${redact(message)}\n`),
    debug: (message) => {
      if (verbose) streams.stderr(`debug: ${redact(message)}\n`);
    },
    warning: (message) => streams.stderr(`warning: ${redact(message)}\n`),
    mask: (secret) => {
      if (secret !== '') secrets.push(secret);
    }
  };
}

function executionJson(execution: Execution): Record<string, string | null> {
  return {
    id: execution.id,
    status: execution.status,
    type: execution.type,
    startTime: execution.startTime,
    startedBy: execution.startedBy,
    logsUrl: execution.logsUrl
  };
}

/**
 * The --json object, with the same keys on every path; `skipped` is null
 * when the check failed under --on-error fail and nothing was decided.
 */
function outcomeJson(
  outcome: Outcome | null,
  failure?: CheckFailedStopError
): string {
  if (outcome === null) {
    return JSON.stringify({
      skipped: null,
      reason: Reason.CheckFailed,
      blockingExecutionId: '',
      terminationMessagePath: '',
      problem: failure?.message ?? '',
      operationId: failure?.operationId || null,
      waitedSeconds: 0,
      polls: 0,
      thisExecutionId: null,
      activeExecutions: []
    });
  }
  const result = outcome.result;
  return JSON.stringify({
    skipped: outcome.skipped,
    reason: outcome.reason,
    blockingExecutionId: outcome.blockingExecutionId,
    terminationMessagePath: outcome.terminationMessagePath,
    problem: outcome.problem,
    operationId: outcome.operationId || null,
    waitedSeconds: result?.waitedSeconds ?? 0,
    polls: result?.polls ?? 0,
    thisExecutionId: result?.thisExecution?.id ?? null,
    activeExecutions: result?.active.map(executionJson) ?? []
  });
}

function outcomeLine(outcome: Outcome): string {
  const verdict = outcome.skipped ? 'stand aside' : 'go ahead';
  const blocking = outcome.blockingExecutionId
    ? `: ${JSON.stringify(outcome.blockingExecutionId)} comes first`
    : '';
  return `${verdict} (${outcome.reason})${blocking}`;
}

/**
 * The command line: parses the flags, runs the same check as the action and
 * returns the exit code. Never throws.
 */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  streams: CliStreams = processStreams
): Promise<number> {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS }>
  >['values'];
  try {
    values = parseArgs({
      args: [...args],
      options: OPTIONS,
      strict: true,
      allowPositionals: false
    }).values;
  } catch (thrown) {
    streams.stderr(
      `vdk-execution-skip: ${describeError(thrown)}\nSee vdk-execution-skip --help.\n`
    );
    return ExitCode.BadUsage;
  }
  if (values.help) {
    streams.stdout(HELP);
    return ExitCode.GoAhead;
  }
  if (values.version) {
    streams.stdout(`${ACTION_VERSION}\n`);
    return ExitCode.GoAhead;
  }
  const flags = values as Record<string, string | boolean | undefined>;
  const logger = stderrLogger(streams, values.verbose === true);
  try {
    const settings = readSettings((name) => {
      const given = flags[name];
      return typeof given === 'string'
        ? given
        : (INPUT_DEFAULTS[name as InputName] ?? '');
    }, env);
    logger.mask(settings.apiToken);
    const outcome = await runCheck(settings, logger);
    streams.stdout(
      `${values.json ? outcomeJson(outcome) : outcomeLine(outcome)}\n`
    );
    return outcome.skipped ? ExitCode.StandAside : ExitCode.GoAhead;
  } catch (thrown) {
    if (thrown instanceof ConfigurationError) {
      // The same checks as the action's; here the inputs are flags.
      const message = thrown.message.replace(/\bInput ([a-z-]+)/g, 'Flag --$1');
      streams.stderr(
        `vdk-execution-skip: ${message}\nSee vdk-execution-skip --help.\n`
      );
      return ExitCode.BadUsage;
    }
    streams.stderr(`error: ${describeError(thrown)}\n`);
    if (thrown instanceof CheckFailedStopError) {
      streams.stdout(
        values.json
          ? `${outcomeJson(null, thrown)}\n`
          : `check failed (${Reason.CheckFailed})\n`
      );
    }
    return ExitCode.CheckFailed;
  }
}
