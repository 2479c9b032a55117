import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { normaliseProxyEnvironment } from '../../src/proxy-environment.js';

describe('normaliseProxyEnvironment', () => {
  it('reads a proxy without a scheme as an http proxy', () => {
    const env: Record<string, string | undefined> = {
      https_proxy: 'proxy.corp:3128',
      HTTP_PROXY: 'http://user:pass@proxy.corp:3128',
      http_proxy: ''
    };
    normaliseProxyEnvironment(env);
    expect(env).toEqual({
      https_proxy: 'http://proxy.corp:3128',
      HTTP_PROXY: 'http://user:pass@proxy.corp:3128',
      http_proxy: ''
    });
  });

  it('refuses a proxy scheme the client cannot use', () => {
    expect(() =>
      normaliseProxyEnvironment({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' })
    ).toThrow(ConfigurationError);
    expect(() =>
      normaliseProxyEnvironment({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' })
    ).toThrow(/HTTPS_PROXY.*socks5/);
  });
});
