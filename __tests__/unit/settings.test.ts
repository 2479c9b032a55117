import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS } from '../../src/constants.js';
import { ConfigurationError } from '../../src/errors.js';
import { readSettings } from '../../src/settings.js';

function reader(inputs: Record<string, string>) {
  const values: Record<string, string> = {
    // action.yml's defaults, which readme.test.ts holds equal to these.
    ...INPUT_DEFAULTS,
    'job-name': 'ingest-sales',
    team: 'sales',
    'api-url': 'https://vdk.example.com/control',
    ...inputs
  };
  return (name: string): string => values[name] ?? '';
}

function failure(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): ConfigurationError {
  try {
    readSettings(reader(inputs), env);
  } catch (thrown) {
    if (thrown instanceof ConfigurationError) return thrown;
    throw thrown;
  }
  throw new Error('readSettings accepted the inputs');
}

describe('readSettings', () => {
  it('reads every input', () => {
    const settings = readSettings(
      reader({
        'execution-id': ' ingest-sales-1-abcde ',
        'api-token': 'token',
        enabled: 'TRUE',
        'on-error': 'Skip',
        'termination-message-path': '/tmp/x/term.json',
        'http-timeout-seconds': '2.5',
        'http-retries': '0'
      }),
      {}
    );
    expect(settings).toEqual({
      jobName: 'ingest-sales',
      team: 'sales',
      executionId: 'ingest-sales-1-abcde',
      apiUrl: new URL('https://vdk.example.com/control'),
      apiToken: 'token',
      apiTokenAuthorizationUrl: null,
      enabled: true,
      onError: 'skip',
      terminationMessagePath: '/tmp/x/term.json',
      httpTimeoutSeconds: 2.5,
      httpRetries: 0,
      waitTimeoutSeconds: 0,
      pollIntervalSeconds: 15,
      jobSummary: true
    });
  });

  it('falls back to VDK environment variables', () => {
    const settings = readSettings(reader({ 'api-url': '' }), {
      VDK_CONTROL_SERVICE_REST_API_URL: 'http://127.0.0.1:8092/',
      VDK_API_TOKEN: 'from-env',
      VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'False'
    });
    expect(settings.apiUrl?.href).toBe('http://127.0.0.1:8092/');
    expect(settings.apiToken).toBe('from-env');
    expect(settings.enabled).toBe(false);
  });

  it('prefers inputs over the environment', () => {
    const settings = readSettings(
      reader({ 'api-token': 'from-input', enabled: 'true' }),
      {
        VDK_CONTROL_SERVICE_REST_API_URL: 'http://127.0.0.1:1/',
        VDK_API_TOKEN: 'from-env',
        VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'false'
      }
    );
    expect(settings.apiUrl?.href).toBe('https://vdk.example.com/control');
    expect(settings.apiToken).toBe('from-input');
    expect(settings.enabled).toBe(true);
  });

  it('puts the termination message under RUNNER_TEMP by default', () => {
    const settings = readSettings(reader({}), { RUNNER_TEMP: '/runner/tmp' });
    expect(settings.terminationMessagePath).toBe(
      '/runner/tmp/vdk-termination-log.json'
    );
  });

  it('falls back to the system temp folder outside a runner', () => {
    const settings = readSettings(reader({}), {});
    expect(settings.terminationMessagePath).toBe(
      path.join(os.tmpdir(), 'vdk-termination-log.json')
    );
  });

  it('needs no API URL when the check is disabled', () => {
    const settings = readSettings(
      reader({ 'api-url': '', enabled: 'false' }),
      {}
    );
    expect(settings.enabled).toBe(false);
    expect(settings.apiUrl).toBeNull();
  });

  it.each([
    [{ 'job-name': '' }, 'job-name', '""'],
    [{ 'job-name': '   ' }, 'job-name', '"   "'],
    [{ team: '' }, 'team', '""'],
    [{ team: '..' }, 'team', '".."'],
    [{ 'api-url': 'ftp://host/x' }, 'api-url', '"ftp://host/x"'],
    [{ 'api-url': 'not a url' }, 'api-url', '"not a url"'],
    [{ 'api-url': '' }, 'api-url', 'VDK_CONTROL_SERVICE_REST_API_URL'],
    [{ 'on-error': 'ignore' }, 'on-error', '"ignore"'],
    [{ 'on-error': '' }, 'on-error', '""'],
    [{ enabled: 'maybe' }, 'enabled', '"maybe"'],
    [{ 'http-timeout-seconds': 'soon' }, 'http-timeout-seconds', '"soon"'],
    [{ 'http-timeout-seconds': '-1' }, 'http-timeout-seconds', '"-1"'],
    [{ 'http-timeout-seconds': '0' }, 'http-timeout-seconds', '"0"'],
    [{ 'http-timeout-seconds': '0x1e' }, 'http-timeout-seconds', '"0x1e"'],
    [{ 'http-timeout-seconds': '1e3' }, 'http-timeout-seconds', '"1e3"'],
    [{ 'http-timeout-seconds': '+5' }, 'http-timeout-seconds', '"+5"'],
    [{ 'http-timeout-seconds': '3601' }, 'http-timeout-seconds', '"3601"'],
    [{ 'api-url': 'https://h/c?x=1' }, 'api-url', '"https://h/c?x=1"'],
    [{ 'api-url': 'https://h/c#top' }, 'api-url', '"https://h/c#top"'],
    [{ 'api-url': 'http://[::1]:8092' }, 'api-url', '"http://[::1]:8092"'],
    [{ 'wait-timeout-seconds': '-1' }, 'wait-timeout-seconds', '"-1"'],
    [{ 'wait-timeout-seconds': '86401' }, 'wait-timeout-seconds', '"86401"'],
    [{ 'poll-interval-seconds': '0.5' }, 'poll-interval-seconds', '"0.5"'],
    [{ 'poll-interval-seconds': 'often' }, 'poll-interval-seconds', '"often"'],
    [{ 'job-summary': 'sometimes' }, 'job-summary', '"sometimes"'],
    [{ 'http-retries': 'many' }, 'http-retries', '"many"'],
    [{ 'http-retries': '-1' }, 'http-retries', '"-1"'],
    [{ 'http-retries': '1.5' }, 'http-retries', '"1.5"'],
    [{ 'http-retries': '11' }, 'http-retries', '"11"']
  ])('rejects %o naming %s and the value', (inputs, name, shown) => {
    const error = failure(inputs);
    expect(error.message).toContain(name);
    expect(error.message).toContain(shown);
  });

  it.each([
    'http://alice:S3cretPw@[::1]:8092',
    'http://alice:S3cretPw@vm:8092/c?x=1',
    'ftp://alice:S3cretPw@vm/c',
    'http://alice:S3cretPw@vm:99999',
    'alice:S3cretPw@vm:8092',
    'http:alice:S3cretPw@vm:99999',
    'http:\\\\alice:S3cretPw@vm:99999'
  ])('never quotes the credentials in api-url %s', (value) => {
    const message = failure({ 'api-url': value }).message;
    expect(message).toContain('api-url');
    expect(message).not.toContain('S3cretPw');
    expect(message).not.toContain('alice');
  });

  it('says why an IPv6 address in brackets is refused', () => {
    expect(failure({ 'api-url': 'http://[::1]:8092' }).message).toContain(
      'IPv6 address in brackets'
    );
  });

  it('names the environment variable when its value is bad', () => {
    const error = failure(
      { 'api-url': '' },
      { VDK_CONTROL_SERVICE_REST_API_URL: 'localhost:8092' }
    );
    expect(error.message).toContain('VDK_CONTROL_SERVICE_REST_API_URL');
    expect(error.message).toContain('"localhost:8092"');
    expect(error.message).toContain('http://');
  });

  it('refuses a token a header cannot carry, without quoting it', () => {
    const error = failure({ 'api-token': 'abc\ndef' });
    expect(error.message).toContain('api-token');
    expect(error.message).not.toContain('abc');
    const fromEnv = failure({}, { VDK_API_TOKEN: 'two words' });
    expect(fromEnv.message).toContain('VDK_API_TOKEN');
    expect(fromEnv.message).not.toContain('words');
  });

  it('reads the API token authorization URL from input or environment', () => {
    const fromInput = readSettings(
      reader({
        'api-token': 'refresh',
        'api-token-authorization-url': 'https://login.example.com/token?x=1'
      }),
      {}
    );
    expect(fromInput.apiTokenAuthorizationUrl?.href).toBe(
      'https://login.example.com/token?x=1'
    );
    const fromEnv = readSettings(reader({}), {
      VDK_API_TOKEN: 'refresh',
      VDK_API_TOKEN_AUTHORIZATION_URL: 'http://127.0.0.1:9/token'
    });
    expect(fromEnv.apiTokenAuthorizationUrl?.href).toBe(
      'http://127.0.0.1:9/token'
    );
  });

  it('needs an API token to exchange', () => {
    const error = failure({
      'api-token-authorization-url': 'https://login.example.com/token'
    });
    expect(error.message).toContain('api-token-authorization-url');
    expect(error.message).toContain('VDK_API_TOKEN');
  });

  it('refuses an authorization URL that is not http(s)', () => {
    const error = failure({
      'api-token': 'refresh',
      'api-token-authorization-url': 'ldap://login'
    });
    expect(error.message).toContain('api-token-authorization-url');
    expect(error.message).toContain('"ldap://login"');
  });

  it('lists the allowed values of on-error', () => {
    expect(failure({ 'on-error': 'ignore' }).message).toContain(
      'proceed, skip, fail'
    );
  });
});
