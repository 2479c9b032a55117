import path from 'node:path';
import os from 'node:os';
import {
  DEFAULT_TERMINATION_FILE_NAME,
  Input,
  OnError,
  VdkEnv
} from './constants.js';
import { ConfigurationError } from './errors.js';
import { withoutCredentials } from './url-text.js';
import { isInRange, lowerBound, RANGES, type Range } from './ranges.js';

/** Everything the check needs, parsed and validated once. */
export interface Settings {
  jobName: string;
  team: string;
  /** '' when this run's id is unknown. */
  executionId: string;
  /** null only when the check is disabled and no URL was given. */
  apiUrl: URL | null;
  /** '' when no token was given. */
  apiToken: string;
  /**
   * Where `apiToken`, then a VDK API token (an OAuth2 refresh token), is
   * exchanged for an access token; null when `apiToken` is used as it is.
   */
  apiTokenAuthorizationUrl: URL | null;
  enabled: boolean;
  onError: OnError;
  terminationMessagePath: string;
  httpTimeoutSeconds: number;
  httpRetries: number;
  /** 0 decides at once; otherwise how long to wait for older executions. */
  waitTimeoutSeconds: number;
  pollIntervalSeconds: number;
  /** Whether to write the decision to the step summary. */
  jobSummary: boolean;
}

/** Returns an input's value, '' when it is not set. */
export type InputReader = (name: string) => string;

type Environment = Readonly<Record<string, string | undefined>>;

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

function quoted(value: string): string {
  return JSON.stringify(value);
}

function fromInputOrEnv(
  readInput: InputReader,
  inputName: string,
  env: Environment,
  envName: string
): { value: string; source: string } {
  const fromInput = readInput(inputName).trim();
  if (fromInput !== '')
    return { value: fromInput, source: `input ${inputName}` };
  const fromEnv = (env[envName] ?? '').trim();
  return { value: fromEnv, source: `environment variable ${envName}` };
}

function requireText(
  readInput: InputReader,
  name: string,
  meaning: string
): string {
  const raw = readInput(name);
  const value = raw.trim();
  if (value === '') {
    throw new ConfigurationError(
      `Input ${name} is ${quoted(raw)}: it is required; give the ${meaning}.`
    );
  }
  // URLs resolve these as relative segments, so the request would address
  // another resource; VDK allows neither as a name.
  if (value === '.' || value === '..') {
    throw new ConfigurationError(
      `Input ${name} is ${quoted(value)}: give the ${meaning}; "." and ".." cannot be used.`
    );
  }
  return value;
}

/** true or false, as YAML and VDK's configuration spell them. */
function switchValue(value: string, source: string): boolean {
  const word = value.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new ConfigurationError(
    `${capitalised(source)} is ${quoted(value)}: use true or false (also accepted: ${[...TRUE_WORDS.slice(1), ...FALSE_WORDS.slice(1)].join(', ')}).`
  );
}

function parseEnabled(readInput: InputReader, env: Environment): boolean {
  const { value, source } = fromInputOrEnv(
    readInput,
    Input.Enabled,
    env,
    VdkEnv.Enabled
  );
  return value === '' ? true : switchValue(value, source);
}

/**
 * An http(s) URL without credentials, which would never be sent. `what`
 * names the URL in errors, e.g. "URL of the Control Service REST API".
 */
export function parseHttpUrl(
  value: string,
  source: string,
  what: string,
  allowQuery: boolean
): URL {
  // Quoted without credentials, which are refused below anyway.
  const shown = quoted(withoutCredentials(value));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(
      `${capitalised(source)} is ${shown}, which is not a URL: give the http:// or https:// ${what}.`
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigurationError(
      `${capitalised(source)} carries a user name or password, which would never be sent: give the URL without them and the token in ${Input.ApiToken} or ${VdkEnv.ApiToken}.`
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(
      `${capitalised(source)} is ${shown}: only http:// and https:// URLs are allowed.`
    );
  }
  if ((!allowQuery && url.search !== '') || url.hash !== '') {
    throw new ConfigurationError(
      `${capitalised(source)} is ${shown}: give the ${what} without ${allowQuery ? 'a fragment (#…)' : 'a query (?…) or fragment (#…); the action adds the path and query itself'}.`
    );
  }
  if (url.hostname.startsWith('[')) {
    // @actions/http-client hands the bracketed form to the name lookup,
    // which would send "[::1]" to DNS and fail; better to say so at once.
    throw new ConfigurationError(
      `${capitalised(source)} is ${shown}: an IPv6 address in brackets does not work with the HTTP client; give a host name that resolves to it.`
    );
  }
  return url;
}

function parseApiUrl(
  readInput: InputReader,
  env: Environment,
  enabled: boolean
): URL | null {
  const { value, source } = fromInputOrEnv(
    readInput,
    Input.ApiUrl,
    env,
    VdkEnv.ApiUrl
  );
  if (value === '') {
    if (!enabled) return null;
    throw new ConfigurationError(
      `Input ${Input.ApiUrl} is empty and environment variable ${VdkEnv.ApiUrl} is not set: give the Control Service REST API base URL, for example https://vdk.example.com/control.`
    );
  }
  return parseHttpUrl(
    value,
    source,
    'base URL of the Control Service REST API',
    false
  );
}

function parseAuthorizationUrl(
  readInput: InputReader,
  env: Environment,
  apiToken: string
): URL | null {
  const { value, source } = fromInputOrEnv(
    readInput,
    Input.ApiTokenAuthorizationUrl,
    env,
    VdkEnv.ApiTokenAuthorizationUrl
  );
  if (value === '') return null;
  const url = parseHttpUrl(
    value,
    source,
    'URL where VDK API tokens are exchanged',
    true
  );
  if (apiToken === '') {
    throw new ConfigurationError(
      `${capitalised(source)} is ${quoted(value)} but no API token was given: set ${Input.ApiToken} or ${VdkEnv.ApiToken} to the VDK API token to exchange there, or leave both empty to send no token.`
    );
  }
  return url;
}

// What an HTTP header value can carry; anything else would make every
// request fail before it is sent.
const HEADER_SAFE = /^[\x21-\x7e]*$/;

function parseToken(readInput: InputReader, env: Environment): string {
  const { value, source } = fromInputOrEnv(
    readInput,
    Input.ApiToken,
    env,
    VdkEnv.ApiToken
  );
  if (!HEADER_SAFE.test(value)) {
    // The value is not quoted: it is a secret.
    throw new ConfigurationError(
      `${capitalised(source)} holds spaces, line breaks or other characters a bearer token cannot carry: give the token alone, printable ASCII only.`
    );
  }
  return value;
}

function parseOnError(readInput: InputReader): OnError {
  const raw = readInput(Input.OnError).trim();
  const allowed = Object.values(OnError);
  const value = raw.toLowerCase();
  const match = allowed.find((choice) => choice === value);
  if (match === undefined) {
    throw new ConfigurationError(
      `Input ${Input.OnError} is ${quoted(raw)}: use one of ${allowed.join(', ')}.`
    );
  }
  return match;
}

function parseNumber(
  readInput: InputReader,
  name: string,
  range: Range,
  example: string
): number {
  const raw = readInput(name).trim();
  const value = Number(raw);
  // Plain decimals only: Number() would also take "0x1e", "1e3" and "+5".
  const form = range.wholeNumber ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!form.test(raw) || !isInRange(value, range)) {
    const kind = range.wholeNumber ? 'a whole number' : 'a number of seconds';
    const high = range.aboveMin
      ? `and at most ${range.max}`
      : `to ${range.max}`;
    throw new ConfigurationError(
      `Input ${name} is ${quoted(raw)}: give ${kind} ${lowerBound(range)} ${high}, such as ${example}.`
    );
  }
  return value;
}

function parseSwitch(readInput: InputReader, name: string): boolean {
  return switchValue(readInput(name).trim(), `input ${name}`);
}

function parseTerminationMessagePath(
  readInput: InputReader,
  env: Environment
): string {
  const given = readInput(Input.TerminationMessagePath).trim();
  if (given !== '') return path.resolve(given);
  const folder = (env['RUNNER_TEMP'] ?? '').trim() || os.tmpdir();
  return path.join(folder, DEFAULT_TERMINATION_FILE_NAME);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Reads and checks every setting. Throws ConfigurationError naming the input,
 * the value given and what is allowed; nothing is sent before this passes.
 */
export function readSettings(
  readInput: InputReader,
  env: Environment
): Settings {
  const jobName = requireText(readInput, Input.JobName, 'data job name');
  const team = requireText(readInput, Input.Team, 'team that owns the job');
  const enabled = parseEnabled(readInput, env);
  const apiToken = parseToken(readInput, env);
  return {
    jobName,
    team,
    executionId: readInput(Input.ExecutionId).trim(),
    apiUrl: parseApiUrl(readInput, env, enabled),
    apiToken,
    apiTokenAuthorizationUrl: parseAuthorizationUrl(readInput, env, apiToken),
    enabled,
    onError: parseOnError(readInput),
    terminationMessagePath: parseTerminationMessagePath(readInput, env),
    httpTimeoutSeconds: parseNumber(
      readInput,
      Input.HttpTimeoutSeconds,
      RANGES.httpTimeoutSeconds,
      '30 or 2.5'
    ),
    httpRetries: parseNumber(
      readInput,
      Input.HttpRetries,
      RANGES.httpRetries,
      '3'
    ),
    waitTimeoutSeconds: parseNumber(
      readInput,
      Input.WaitTimeoutSeconds,
      RANGES.waitTimeoutSeconds,
      '0 (decide at once) or 600'
    ),
    pollIntervalSeconds: parseNumber(
      readInput,
      Input.PollIntervalSeconds,
      RANGES.pollIntervalSeconds,
      '15'
    ),
    jobSummary: parseSwitch(readInput, Input.JobSummary)
  };
}
