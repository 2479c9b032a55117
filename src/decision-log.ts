import * as core from '@actions/core';
import { startTogether, type Decision } from './decision.js';
import type { Execution } from './executions.js';

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

function listActive(decision: Decision): void {
  const { active, blocking, thisExecution } = decision;
  core.info(
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
    core.info(`  ${index + 1}. ${describeExecution(execution)}${mark}`);
  });
  if (active.length > LISTED_EXECUTIONS) {
    core.info(`  … and ${active.length - LISTED_EXECUTIONS} more.`);
    const more = active.slice(
      LISTED_EXECUTIONS,
      LISTED_EXECUTIONS + DEBUG_LISTED_EXECUTIONS
    );
    for (const execution of more) {
      core.debug(`  ${describeExecution(execution)}`);
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

/** A few info lines: what is active, what was decided and why. */
export function logDecision(decision: Decision, executionId: string): void {
  listActive(decision);
  const { blocking, thisExecution } = decision;
  if (blocking) {
    const name =
      blocking.id === ''
        ? 'An execution without an id'
        : `Execution ${quoted(blocking.id)}`;
    core.info(
      `Decision: skip. ${name} is ${quoted(blocking.status)}; ${whyBlocked(blocking, thisExecution, executionId)}.`
    );
  } else if (thisExecution === null) {
    core.info(
      'Decision: go ahead. No other execution is submitted or running.'
    );
  } else {
    core.info(
      `Decision: go ahead. This run (${quoted(thisExecution.id)}) is the oldest active execution; newer ones stand aside.`
    );
  }
}
