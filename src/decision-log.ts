import { startTogether, type Decision } from './decision.js';
import type { Execution } from './executions.js';
import type { Logger } from './logger.js';

/** How many active executions the log lists before it only counts them. */
const LISTED_EXECUTIONS = 10;
/** How many more the debug log lists: a list can be very long. */
const DEBUG_LISTED_EXECUTIONS = 100;

/**
 * Text from the service, quoted. Quoting escapes line breaks, so whoever
 * starts an execution cannot smuggle a workflow command (a line starting
 * with "::") into the job log through its fields.
 */
function quoted(text: string): string {
  return JSON.stringify(text);
}

function describeExecution(execution: Execution): string {
  const id = execution.id === '' ? '(no id)' : quoted(execution.id);
  const started =
    execution.startTime === null
      ? 'start time unknown'
      : `since ${quoted(execution.startTime)}`;
  const type = execution.type === null ? '' : `, ${quoted(execution.type)}`;
  const by =
    execution.startedBy === null
      ? ''
      : `, started by ${quoted(execution.startedBy)}`;
  return `${id} ${quoted(execution.status)} ${started}${type}${by}`;
}

/** The active executions, oldest first, this run and the blocker marked. */
export function listActive(decision: Decision, logger: Logger): void {
  const { active, blocking, thisExecution } = decision;
  logger.info(
    active.length === 0
      ? 'Active executions: none.'
      : `Active executions, oldest first (${active.length}):`
  );
  active.slice(0, LISTED_EXECUTIONS).forEach((execution, index) => {
    const mark =
      execution === thisExecution
        ? ' <- this run'
        : execution === blocking
          ? ' <- blocks this run'
          : '';
    logger.info(`  ${index + 1}. ${describeExecution(execution)}${mark}`);
  });
  if (active.length > LISTED_EXECUTIONS) {
    logger.info(`  … and ${active.length - LISTED_EXECUTIONS} more.`);
    const more = active.slice(
      LISTED_EXECUTIONS,
      LISTED_EXECUTIONS + DEBUG_LISTED_EXECUTIONS
    );
    for (const execution of more) {
      logger.debug(`  ${describeExecution(execution)}`);
    }
  }
}

function whyBlocked(
  blocking: Execution,
  thisExecution: Execution | null,
  executionId: string
): string {
  if (executionId === '') {
    return 'no execution-id was given, so every active execution counts as another one';
  }
  if (thisExecution === null) {
    return `this run (${quoted(executionId)}) is not in the list`;
  }
  return startTogether(blocking, thisExecution)
    ? 'it started at the same time as this run and its id sorts first'
    : 'it started before this run';
}

/** The blocking execution as the log names it. */
export function describeBlocking(decision: Decision): string {
  const { blocking } = decision;
  if (blocking === null) return 'no execution';
  const name =
    blocking.id === ''
      ? 'an execution without an id'
      : `execution ${quoted(blocking.id)}`;
  return `${name} (${quoted(blocking.status)})`;
}

/** One info line: what was decided and why. */
export function logVerdict(
  decision: Decision,
  executionId: string,
  logger: Logger
): void {
  const { blocking, thisExecution } = decision;
  if (blocking) {
    const name =
      blocking.id === ''
        ? 'An execution without an id'
        : `Execution ${quoted(blocking.id)}`;
    logger.info(
      `Decision: skip. ${name} is ${quoted(blocking.status)}; ${whyBlocked(blocking, thisExecution, executionId)}.`
    );
  } else if (thisExecution === null) {
    logger.info(
      'Decision: go ahead. No other execution is submitted or running.'
    );
  } else {
    logger.info(
      `Decision: go ahead. This run (${quoted(thisExecution.id)}) is the oldest active execution; newer ones stand aside.`
    );
  }
}
