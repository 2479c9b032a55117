import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import {
  normaliseProxyEnvironment,
  proxyPasswords,
  routeTo
} from '../../src/proxy-environment.js';

const PROXY_NAMES = [
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY',
  'no_proxy',
  'NO_PROXY'
];

// Neither is a loopback address, so a proxy variable applies to each; the
// tests set no no_proxy, which the HTTP client reads from process.env.
const HTTP_TARGET = new URL('http://vdk.corp:8092/');
const HTTPS_TARGET = new URL('https://vdk.corp/');

describe('normaliseProxyEnvironment', () => {
  it('reads a proxy without a scheme as an http proxy', () => {
    const env: Record<string, string | undefined> = {
      https_proxy: 'proxy.corp:3128',
      HTTP_PROXY: 'http://user:pass@proxy.corp:3128',
      http_proxy: ''
    };
    normaliseProxyEnvironment(env, [HTTP_TARGET, HTTPS_TARGET]);
    expect(env).toEqual({
      https_proxy: 'http://proxy.corp:3128',
      HTTP_PROXY: 'http://user:pass@proxy.corp:3128',
      http_proxy: ''
    });
  });

  it('trims the value, and leaves a blank one empty (no proxy)', () => {
    const env: Record<string, string | undefined> = {
      https_proxy: '  http://proxy.corp:3128 ',
      http_proxy: '   '
    };
    normaliseProxyEnvironment(env, [HTTP_TARGET, HTTPS_TARGET]);
    expect(env).toEqual({
      https_proxy: 'http://proxy.corp:3128',
      http_proxy: ''
    });
  });
});

describe('normaliseProxyEnvironment, values the client cannot use', () => {
  it('refuses a proxy scheme the client cannot use', () => {
    const refuse = (): void =>
      normaliseProxyEnvironment({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' }, [
        HTTPS_TARGET
      ]);
    expect(refuse).toThrow(ConfigurationError);
    expect(refuse).toThrow(/HTTPS_PROXY.*socks5/);
  });

  it.each([
    ['http://proxy.corp:99999', 'not a proxy URL'],
    ['HTTP://vm:99999', 'not a proxy URL'],
    ['http://proxy.corp:3128/path', 'more than a host and port'],
    ['http://deploy:12#abc@proxy.corp:3128', 'more than a host and port'],
    ['http://deploy:a/b@proxy.corp:3128', 'percent-encoded'],
    ['http://deploy:50%off@proxy.corp:3128', 'write a plain % as %25'],
    ['http://[::1]:3128', 'IPv6 address in brackets'],
    ['[::1]:3128', 'IPv6 address in brackets']
  ])('refuses %s, naming the variable', (value, says) => {
    const refuse = (): void =>
      normaliseProxyEnvironment({ http_proxy: value }, [HTTP_TARGET]);
    expect(refuse).toThrow(ConfigurationError);
    expect(refuse).toThrow(/http_proxy/);
    expect(refuse).toThrow(says);
  });

  it('quotes the value as given, without the http:// it added', () => {
    expect(() =>
      normaliseProxyEnvironment({ http_proxy: 'vm:99999' }, [HTTP_TARGET])
    ).toThrow('http_proxy is "vm:99999"');
  });

  it('never quotes the credentials of a value it refuses', () => {
    for (const value of [
      'http://deploy:S3cretPw@proxy.corp:99999',
      'http://deploy:S3cretPw@proxy.corp:3128/path',
      'http://deploy:S3cret%zzPw@proxy.corp:3128',
      'deploy:S3cretPw@proxy.corp:99999'
    ]) {
      let message = '';
      try {
        normaliseProxyEnvironment({ https_proxy: value }, [HTTPS_TARGET]);
      } catch (thrown) {
        message = thrown instanceof Error ? thrown.message : String(thrown);
      }
      expect(message).toContain('https_proxy');
      expect(message).not.toContain('S3cret');
      expect(message).not.toContain('deploy');
    }
  });

  it('leaves alone a variable that no request uses', () => {
    const broken = 'http://proxy.corp:3128/corp';
    // The https variable, for an http target.
    expect(() =>
      normaliseProxyEnvironment({ HTTPS_PROXY: broken }, [HTTP_TARGET])
    ).not.toThrow();
    // The upper-case variable, when the lower-case one is set.
    expect(() =>
      normaliseProxyEnvironment(
        { http_proxy: 'http://proxy.corp:3128', HTTP_PROXY: broken },
        [HTTP_TARGET]
      )
    ).not.toThrow();
    // A loopback target goes direct whatever the variables say.
    expect(() =>
      normaliseProxyEnvironment({ http_proxy: broken }, [
        new URL('http://127.0.0.1:8092/')
      ])
    ).not.toThrow();
    // And so does every target when there is none.
    expect(() =>
      normaliseProxyEnvironment({ http_proxy: broken }, [])
    ).not.toThrow();
  });
});

describe('proxyPasswords', () => {
  it('finds each password, as written and decoded, once', () => {
    expect(
      proxyPasswords({
        https_proxy: 'http://deploy:p%40ss%2Fword@proxy.corp:3128',
        HTTPS_PROXY: 'http://other:p%40ss%2Fword@proxy.corp:3128',
        http_proxy: 'http://user-only@proxy.corp:3128',
        HTTP_PROXY: 'http://proxy.corp:3128'
      })
    ).toEqual(['p%40ss%2Fword', 'p@ss/word']);
  });

  it('skips values that are not URLs and broken percent-encoding', () => {
    expect(
      proxyPasswords({
        https_proxy: 'not a url',
        http_proxy: 'http://deploy:100%zz@proxy.corp:3128'
      })
    ).toEqual(['100%zz']);
  });
});

describe('routeTo', () => {
  // The HTTP client reads the proxy variables from process.env itself.
  const saved = new Map(PROXY_NAMES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  function setProxyVariables(values: Record<string, string>): void {
    for (const name of PROXY_NAMES) delete process.env[name];
    Object.assign(process.env, values);
  }

  it('names the proxy and its variable, without the credentials', () => {
    setProxyVariables({
      HTTPS_PROXY: 'http://deploy:s3cret@proxy.corp:3128'
    });
    expect(routeTo(new URL('https://vdk.example.com/'), process.env)).toEqual({
      throughProxy: true,
      description: 'through the proxy http://proxy.corp:3128 (HTTPS_PROXY)'
    });
  });

  it('prefers the lower-case variable, as the HTTP client does', () => {
    setProxyVariables({
      http_proxy: 'http://lower.corp:3128',
      HTTP_PROXY: 'http://upper.corp:3128'
    });
    expect(
      routeTo(new URL('http://vdk.example.com/'), process.env).description
    ).toBe('through the proxy http://lower.corp:3128 (http_proxy)');
  });

  it('goes directly for a host in no_proxy or a loopback address', () => {
    setProxyVariables({
      https_proxy: 'http://proxy.corp:3128',
      no_proxy: 'vdk.example.com'
    });
    const direct = {
      throughProxy: false,
      description: 'directly (no_proxy or a loopback address)'
    };
    expect(routeTo(new URL('https://vdk.example.com/'), process.env)).toEqual(
      direct
    );
    expect(routeTo(new URL('https://127.0.0.1:8443/'), process.env)).toEqual(
      direct
    );
  });

  it('goes directly when no variable names a proxy for the scheme', () => {
    setProxyVariables({ https_proxy: 'http://proxy.corp:3128' });
    expect(routeTo(new URL('http://vdk.example.com/'), process.env)).toEqual({
      throughProxy: false,
      description: 'directly (no http_proxy or HTTP_PROXY)'
    });
  });
});
