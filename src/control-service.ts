import {
  afterAttempts,
  oneLine,
  statusLine,
  textField
} from './answer-text.js';
import { CheckFailedError } from './errors.js';
import { toExecutions, type Execution } from './executions.js';
import { sendWithRetries, type CallSettings, type HttpAnswer } from './http.js';

export interface ControlServiceQuery {
  apiUrl: URL;
  team: string;
  jobName: string;
  /** Bearer access token; '' sends no Authorization header. */
  accessToken: string;
  call: CallSettings;
}

const ACTIVE_STATUS_QUERY =
  'execution_status=submitted&execution_status=running';
// Far above any job's recent executions; reading more would take seconds
// past the deadline the README promises.
const MAX_EXECUTIONS = 200_000;

/**
 * The executions endpoint of one job. Team and job name are single path
 * segments, so "/", "#", "?" and spaces in them are percent-encoded; a base
 * path in the API URL is kept, without a doubled slash.
 */
export function executionsUrl(apiUrl: URL, team: string, jobName: string): URL {
  const url = new URL(apiUrl.href);
  const basePath = url.pathname.replace(/\/+$/, '');
  url.pathname =
    `${basePath}/data-jobs/for-team/${encodeURIComponent(team)}` +
    `/jobs/${encodeURIComponent(jobName)}/executions`;
  url.search = ACTIVE_STATUS_QUERY;
  url.hash = '';
  return url;
}

/**
 * What the service said about an error, from VDK's {what, why} body or the
 * OpenAPI {messages: [...]} shape; '' when the body says nothing usable.
 */
export function describeErrorBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    if (/^\s*</.test(body)) return 'the body is an HTML page';
    return body.trim() === '' ? '' : `body: ${oneLine(body)}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return '';
  }
  const fields = parsed as Record<string, unknown>;
  const parts = [textField(fields, 'what'), textField(fields, 'why')].filter(
    (part) => part !== ''
  );
  const messages = fields['messages'];
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (typeof message === 'string' && message.trim() !== '') {
        parts.push(message.trim());
      }
    }
  }
  return oneLine(parts.join(' — '));
}

/**
 * One sentence: the request, what went wrong, after how many attempts, the
 * HTTP status and where a redirect led, then what the service said.
 */
function failure(
  answer: HttpAnswer,
  requested: URL,
  problem: string,
  detail = ''
): CheckFailedError {
  const redirected =
    answer.url.href === requested.href
      ? ''
      : `, redirected to ${answer.url.href}`;
  return new CheckFailedError(
    `GET ${requested.href}: ${problem}${afterAttempts(answer)} (${statusLine(answer)}${redirected})` +
      (detail === '' ? '' : `: ${detail}`)
  );
}

function parseExecutionList(answer: HttpAnswer, requested: URL): Execution[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    const kind = /^\s*</.test(answer.body) ? 'an HTML page' : 'not JSON';
    throw failure(
      answer,
      requested,
      `the Control Service answered ${kind} instead of a JSON list of executions`
    );
  }
  if (!Array.isArray(parsed)) {
    const kind =
      parsed === null
        ? 'null'
        : typeof parsed === 'object'
          ? 'an object'
          : typeof parsed;
    throw failure(
      answer,
      requested,
      `the Control Service answered JSON ${kind} instead of a list of executions`
    );
  }
  if (parsed.length > MAX_EXECUTIONS) {
    throw failure(
      answer,
      requested,
      `the Control Service listed ${parsed.length} executions, more than the ${MAX_EXECUTIONS} a job can sensibly have`
    );
  }
  return toExecutions(parsed);
}

/**
 * Asks the Control Service which executions of the job are submitted or
 * running. Throws CheckFailedError when that cannot be known.
 */
export async function fetchExecutions(
  query: ControlServiceQuery
): Promise<Execution[]> {
  const url = executionsUrl(query.apiUrl, query.team, query.jobName);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (query.accessToken !== '') {
    headers['authorization'] = `Bearer ${query.accessToken}`;
  }
  const answer = await sendWithRetries(url, {
    ...query.call,
    method: 'GET',
    headers
  });
  if (answer.status >= 200 && answer.status < 300) {
    return parseExecutionList(answer, url);
  }
  const hint =
    answer.status === 404
      ? `the Control Service knows no data job ${JSON.stringify(query.jobName)} of team ${JSON.stringify(query.team)}, or api-url points elsewhere`
      : answer.status === 401 || answer.status === 403
        ? 'the Control Service refused the credentials'
        : 'the Control Service answered an error';
  throw failure(answer, url, hint, describeErrorBody(answer.body));
}
