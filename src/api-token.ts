import { CheckFailedError } from './errors.js';
import { sendWithRetries, type CallSettings } from './http.js';

const MAX_DETAIL_LENGTH = 300;

function textField(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value.trim() : '';
}

function readJsonObject(body: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** OAuth2's `error` and `error_description`, on one short line. */
function oauthError(fields: Record<string, unknown> | null): string {
  if (fields === null) return '';
  const text = [
    textField(fields, 'error'),
    textField(fields, 'error_description')
  ]
    .filter((part) => part !== '')
    .join(': ')
    .replace(/\s+/g, ' ');
  return text.length > MAX_DETAIL_LENGTH
    ? `${text.slice(0, MAX_DETAIL_LENGTH)}…`
    : text;
}

/**
 * Exchanges a VDK API token, an OAuth2 refresh token, for an access token
 * at the authorization server, as VDK's own clients do. The access token is
 * masked before it is returned. Throws CheckFailedError when the server
 * refuses or answers something else than a token.
 */
export async function exchangeApiToken(
  authorizationUrl: URL,
  apiToken: string,
  call: CallSettings
): Promise<string> {
  call.logger.info(`Exchanging the API token at ${authorizationUrl.origin}.`);
  // Form-encoded, so that "+", "/", "=" and "&" in the token survive.
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: apiToken
  });
  const answer = await sendWithRetries(authorizationUrl, {
    ...call,
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json'
    },
    body: form.toString()
  });
  const fields = readJsonObject(answer.body);
  const tries =
    answer.attempts === 1 ? '' : ` after ${answer.attempts} attempts`;
  const status = `HTTP ${answer.status} ${answer.statusText}`.trim();
  const refused = (problem: string): CheckFailedError => {
    const said = oauthError(fields);
    return new CheckFailedError(
      `The authorization server at ${authorizationUrl.href} ${problem}${tries} (${status})${said === '' ? '' : `: ${said}`}`
    );
  };
  if (answer.status >= 400 && answer.status < 500) {
    throw refused('refused the API token');
  }
  if (answer.status < 200 || answer.status >= 300) {
    // A redirect is not followed for a POST, and a 5xx judged nothing.
    throw refused('answered an error instead of an access token');
  }
  if (fields === null) {
    throw refused('answered something that is not a JSON object');
  }
  const accessToken = fields['access_token'];
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    throw refused('answered without an access_token');
  }
  call.logger.mask(accessToken);
  return accessToken;
}
