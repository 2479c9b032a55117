import { ConfigurationError } from './errors.js';

const PROXY_VARIABLES = [
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY'
];

type Environment = Record<string, string | undefined>;

/**
 * Makes the proxy variables mean what they mean to curl and the runner's
 * own tools: "proxy.corp:3128" without a scheme is an http proxy. The HTTP
 * client would read "proxy.corp:" as a scheme and silently go direct.
 * Schemes it cannot use, such as socks5://, are refused instead of being
 * ignored.
 */
export function normaliseProxyEnvironment(env: Environment): void {
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim();
    if (!value) continue;
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
    if (scheme === undefined) {
      env[name] = `http://${value}`;
    } else if (!['http', 'https'].includes(scheme.toLowerCase())) {
      throw new ConfigurationError(
        `Environment variable ${name} names a ${scheme} proxy: only http:// and https:// proxies are supported.`
      );
    }
  }
}
