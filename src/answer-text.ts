import type { HttpAnswer } from './http.js';

/** How much of a server's own words a message quotes. */
const MAX_DETAIL_LENGTH = 300;

/** Text from a server on one line, shortened to fit in a message. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL_LENGTH
    ? `${flat.slice(0, MAX_DETAIL_LENGTH)}…`
    : flat;
}

/** A string field of a JSON object, trimmed; '' when absent or not text. */
export function textField(
  fields: Record<string, unknown>,
  name: string
): string {
  const value = fields[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The body as a JSON object, or null when it is anything else. */
export function readJsonObject(body: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : null;
}

/** " after N attempts" when it took more than one; '' otherwise. */
export function afterAttempts(answer: HttpAnswer): string {
  return answer.attempts === 1 ? '' : ` after ${answer.attempts} attempts`;
}

/** "HTTP 503 Service Unavailable". */
export function statusLine(answer: HttpAnswer): string {
  return `HTTP ${answer.status} ${answer.statusText}`.trim();
}
