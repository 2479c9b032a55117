import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import { ConfigurationError } from './errors.js';
import { withoutCredentials } from './url-text.js';

const PROXY_VARIABLES = [
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY'
];

type Environment = Record<string, string | undefined>;

/**
 * The proxy variables for requests to `url`, lower case first, and the one
 * the HTTP client reads (the first that is set), if any.
 */
function proxyVariablesFor(
  url: URL,
  env: Environment
): { names: readonly [string, string]; used: string | undefined } {
  const names =
    url.protocol === 'https:'
      ? (['https_proxy', 'HTTPS_PROXY'] as const)
      : (['http_proxy', 'HTTP_PROXY'] as const);
  return { names, used: names.find((name) => env[name]) };
}

/**
 * Makes the proxy variables mean what they mean to curl and the runner's
 * own tools: "proxy.corp:3128" without a scheme is an http proxy (the HTTP
 * client would read "proxy.corp:" as a scheme and silently go direct), and
 * surrounding blanks are dropped.
 *
 * Then the variable the client will use for each of `targets` (none when
 * no_proxy or a loopback address sends it direct) must hold a proxy URL the
 * client can use, or a ConfigurationError names it: not a socks5:// or
 * other scheme, not something that is not a URL, nothing after the host and
 * port (often a password character that needs percent-encoding), no IPv6
 * address in brackets (handed to the name lookup as it is), and no broken
 * percent-encoding in the credentials (the client would go direct without a
 * word). Variables no request uses are left alone: they are often set for
 * the whole runner, for other tools.
 */
export function normaliseProxyEnvironment(
  env: Environment,
  targets: readonly URL[]
): void {
  const given = new Map<string, string>();
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim();
    if (value === undefined) continue;
    given.set(name, value);
    env[name] = value === '' || SCHEME.test(value) ? value : `http://${value}`;
  }
  for (const target of targets) {
    // The client's own rule for no_proxy and loopback addresses.
    if (checkBypass(target)) continue;
    const name = proxyVariablesFor(target, env).used;
    if (name === undefined) continue;
    requireUsableProxyUrl(name, env[name] ?? '', given.get(name) ?? '');
  }
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Throws unless `value` of variable `name` is a proxy URL the client can use. */
function requireUsableProxyUrl(
  name: string,
  value: string,
  givenValue: string
): void {
  const shown = JSON.stringify(withoutCredentials(givenValue));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1] ?? '';
  if (!['http', 'https'].includes(scheme.toLowerCase())) {
    throw new ConfigurationError(
      `Environment variable ${name} names a ${scheme} proxy: only http:// and https:// proxies are supported.`
    );
  }
  if (!URL.canParse(value)) {
    throw new ConfigurationError(
      `Environment variable ${name} is ${shown}, which is not a proxy URL: give http://host:port, with user:password@ before the host if the proxy needs them (a / ? # or @ in those percent-encoded).`
    );
  }
  const url = new URL(value);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(
      `Environment variable ${name} is ${shown}, which has more than a host and port: a proxy URL is http://host:port, and a / ? # or @ in its user name or password must be percent-encoded (%2F %3F %23 %40).`
    );
  }
  if (url.hostname.startsWith('[')) {
    throw new ConfigurationError(
      `Environment variable ${name} is ${shown}: an IPv6 address in brackets does not work with the HTTP client; give a host name that resolves to it.`
    );
  }
  for (const part of [url.username, url.password]) {
    try {
      decodeURIComponent(part);
    } catch {
      throw new ConfigurationError(
        `Environment variable ${name} has a user name or password that is not valid percent-encoding (each % must start a %XX sequence of UTF-8), which the HTTP client would quietly ignore along with the proxy: write a plain % as %25.`
      );
    }
  }
}

/**
 * The passwords in the proxy variables, as written and decoded, so that they
 * can be masked before any request: a proxy's error or a debug line must
 * not give them away.
 */
export function proxyPasswords(env: Environment): string[] {
  const passwords = new Set<string>();
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim();
    if (!value || !URL.canParse(value)) continue;
    const { password } = new URL(value);
    if (password === '') continue;
    passwords.add(password);
    try {
      passwords.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the raw form is all there is.
    }
  }
  return [...passwords];
}

/** How requests to one URL travel. */
export interface Route {
  throughProxy: boolean;
  /** For the log, after "go": never the proxy's credentials. */
  description: string;
}

/**
 * How a request to `url` travels: through which proxy (its address only)
 * and from which variable, or directly. It asks the HTTP client's own proxy
 * rules, no_proxy included, so that the log says what the client does.
 */
export function routeTo(url: URL, env: Environment): Route {
  const proxy = getProxyUrl(url);
  const { names, used } = proxyVariablesFor(url, env);
  if (proxy !== undefined) {
    return {
      throughProxy: true,
      description: `through the proxy ${proxy.protocol}//${proxy.host} (${used ?? names[0]})`
    };
  }
  return {
    throughProxy: false,
    description:
      used === undefined
        ? `directly (no ${names[0]} or ${names[1]})`
        : 'directly (no_proxy or a loopback address)'
  };
}
