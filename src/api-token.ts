import {
  afterAttempts,
  oneLine,
  readJsonObject,
  statusLine,
  textField
} from './answer-text.js';
import { CheckFailedError } from './errors.js';
import { sendWithRetries, type CallSettings } from './http.js';

/** OAuth2's `error` and `error_description`, on one short line. */
function oauthError(fields: Record<string, unknown> | null): string {
  if (fields === null) return '';
  return oneLine(
    [textField(fields, 'error'), textField(fields, 'error_description')]
      .filter((part) => part !== '')
      .join(': ')
  );
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
  const refused = (problem: string): CheckFailedError => {
    const said = oauthError(fields);
    return new CheckFailedError(
      `The authorization server at ${authorizationUrl.href} ${problem}${afterAttempts(answer)} (${statusLine(answer)})${said === '' ? '' : `: ${said}`}`
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
