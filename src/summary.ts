import { Reason } from './constants.js';
import type { Execution } from './executions.js';
import type { Outcome } from './run-check.js';
import type { Settings } from './settings.js';

/**
 * Escapes text for HTML. The summary is HTML rather than Markdown so that
 * nothing the service sends, names and ids included, is interpreted.
 */
export function escapeHtml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
      // A blank line would end the HTML block and let Markdown through.
      .replace(/\r\n|\r|\n/g, '&#10;')
  );
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function headline(settings: Settings, outcome: Outcome): string {
  const job = `${code(settings.jobName)} of team ${code(settings.team)}`;
  const blocking = outcome.result?.blocking ?? null;
  switch (outcome.reason) {
    case Reason.CheckDisabled:
      return `<strong>Went ahead</strong>: the check for data job ${job} is disabled (${code(outcome.reason)}).`;
    case Reason.CheckFailed:
      return `<strong>${outcome.skipped ? 'Stood aside' : 'Went ahead'}</strong>: the check for data job ${job} could not be completed (${code(outcome.reason)}, on-error ${code(settings.onError)}): ${escapeHtml(outcome.problem)}`;
    case Reason.OtherExecutionRunning: {
      const name =
        blocking === null || blocking.id === ''
          ? 'an execution without an id'
          : `execution ${code(blocking.id)}`;
      return `<strong>Stood aside</strong>: ${name} of data job ${job} is ${escapeHtml(blocking?.status ?? 'active')} and comes first (${code(outcome.reason)}).`;
    }
    case Reason.NoOtherExecution:
      return `<strong>Went ahead</strong>: no older execution of data job ${job} is submitted or running (${code(outcome.reason)}).`;
  }
}

function logsLink(execution: Execution): string {
  const url = execution.logsUrl;
  // Only web links: a javascript: or data: URL must not become clickable.
  if (url === null || !/^https?:\/\//i.test(url)) return '';
  return `<a href="${escapeHtml(url)}">logs</a>`;
}

function row(execution: Execution, mark: string): string {
  const cells = [
    `${code(execution.id === '' ? '(no id)' : execution.id)}${mark}`,
    escapeHtml(execution.status),
    escapeHtml(execution.type ?? ''),
    escapeHtml(execution.startTime ?? ''),
    escapeHtml(execution.startedBy ?? ''),
    logsLink(execution)
  ];
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

/** How many rows the summary's table shows before it only counts them. */
const SUMMARY_ROWS = 50;

function table(outcome: Outcome): string {
  const result = outcome.result;
  if (result === null) return '';
  if (result.active.length === 0) {
    return '<p>No execution is submitted or running.</p>';
  }
  const rows = result.active.slice(0, SUMMARY_ROWS).map((execution) => {
    const mark =
      execution === result.thisExecution
        ? ' (this run)'
        : execution === result.blocking
          ? ' (blocks this run)'
          : '';
    return row(execution, mark);
  });
  const more =
    result.active.length > SUMMARY_ROWS
      ? `<p>… and ${result.active.length - SUMMARY_ROWS} more.</p>`
      : '';
  return [
    '<table>',
    '<tr><th>Execution</th><th>Status</th><th>Type</th><th>Started</th><th>Started by</th><th>Logs</th></tr>',
    ...rows,
    '</table>',
    more
  ].join('\n');
}

/** The step summary: the decision in one line, then the active executions. */
export function renderSummary(settings: Settings, outcome: Outcome): string {
  const waited =
    outcome.result !== null && outcome.result.waitedSeconds > 0
      ? `<p>Waited ${outcome.result.waitedSeconds} s over ${outcome.result.polls} questions to the Control Service.</p>`
      : '';
  return [
    '<h3>VDK execution skip</h3>',
    `<p>${headline(settings, outcome)}</p>`,
    waited,
    table(outcome),
    ''
  ]
    .filter((part, index, parts) => part !== '' || index === parts.length - 1)
    .join('\n');
}
