import { afterAll, describe, test } from 'vitest';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction
} from '../support/run-action.js';
import {
  checkInputs,
  describeRun,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import { localNonLoopbackHostName } from '../support/local-host-name.js';
import { executionList } from '../support/stand-in-control-service.js';

const PROXIED_HOST = localNonLoopbackHostName();

interface BadSetting {
  /** What the error must name: an input or an environment variable. */
  names: string;
  /** The value as the action sees it; the runner trims inputs. */
  seenValue: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}

const badInputs: BadSetting[] = [
  { names: 'job-name', seenValue: '', inputs: { 'job-name': '' } },
  { names: 'job-name', seenValue: '', inputs: { 'job-name': '   ' } },
  { names: 'team', seenValue: '', inputs: { team: ' \t ' } },
  // A dot segment would make the request address another resource.
  { names: 'job-name', seenValue: '..', inputs: { 'job-name': '..' } },
  { names: 'team', seenValue: '.', inputs: { team: '.' } },
  { names: 'on-error', seenValue: 'ignore', inputs: { 'on-error': 'ignore' } },
  {
    names: 'http-timeout-seconds',
    seenValue: 'soon',
    inputs: { 'http-timeout-seconds': 'soon' }
  },
  {
    names: 'http-timeout-seconds',
    seenValue: '-5',
    inputs: { 'http-timeout-seconds': '-5' }
  },
  {
    names: 'http-timeout-seconds',
    seenValue: '0',
    inputs: { 'http-timeout-seconds': '0' }
  },
  // Past what a Node timer can count, which would fire at once.
  {
    names: 'http-timeout-seconds',
    seenValue: '2200000',
    inputs: { 'http-timeout-seconds': '2200000' }
  },
  {
    names: 'http-retries',
    seenValue: 'many',
    inputs: { 'http-retries': 'many' }
  },
  { names: 'http-retries', seenValue: '-1', inputs: { 'http-retries': '-1' } },
  {
    names: 'http-retries',
    seenValue: '1.5',
    inputs: { 'http-retries': '1.5' }
  },
  { names: 'http-retries', seenValue: '11', inputs: { 'http-retries': '11' } },
  { names: 'enabled', seenValue: 'maybe', inputs: { enabled: 'maybe' } },
  {
    names: 'VDK_EXECUTION_SKIP_CHECKER_ENABLED',
    seenValue: 'sometimes',
    env: { VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'sometimes' }
  },
  // Proxy variables the HTTP client would choke on at every request. The
  // service is named by a host the proxy applies to (not a loopback
  // address); nothing is sent, so its port does not matter.
  {
    names: 'http_proxy',
    seenValue: 'vm:99999',
    inputs: { 'api-url': `http://${PROXIED_HOST}:8092` },
    env: { http_proxy: ' vm:99999' }
  },
  {
    names: 'HTTP_PROXY',
    seenValue: 'http://vm:3128/corp',
    inputs: { 'api-url': `http://${PROXIED_HOST}:8092` },
    env: { HTTP_PROXY: 'http://vm:3128/corp' }
  }
];

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('inputs on $label', (node) => {
  describe.concurrent('a bad setting fails the step before any request', () => {
    test.for(badInputs)(
      '$names = $seenValue',
      async ({ names, seenValue, inputs, env }, { expect }) => {
        await withStandIn(
          { responses: [executionList([])] },
          async (service) => {
            const run = await runAction({
              node,
              inputs: checkInputs(service, inputs),
              ...(env ? { env } : {})
            });
            expect(run.exitCode, describeRun(run)).toBe(1);
            expect(service.requests).toHaveLength(0);
            expect(run.errors).toHaveLength(1);
            expect(run.errors[0]).toContain(names);
            expect(run.errors[0]).toContain(JSON.stringify(seenValue));
            expect(run.outputs).toEqual({});
          }
        );
      }
    );

    test('an api-url that is not http(s) is refused', async ({ expect }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const apiUrl = service.baseUrl.replace(/^http:/, 'ftp:');
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'api-url': apiUrl })
        });
        expect(run.exitCode, describeRun(run)).toBe(1);
        expect(service.requests).toHaveLength(0);
        expect(run.errors).toHaveLength(1);
        expect(run.errors[0]).toContain('api-url');
        expect(run.errors[0]).toContain(JSON.stringify(apiUrl));
        expect(run.outputs).toEqual({});
      });
    });

    test('an api-url from the environment without a scheme is refused', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const withoutScheme = service.baseUrl.replace(/^http:\/\//, '');
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'api-url': '' }),
          env: { VDK_CONTROL_SERVICE_REST_API_URL: withoutScheme }
        });
        expect(run.exitCode, describeRun(run)).toBe(1);
        expect(service.requests).toHaveLength(0);
        expect(run.errors[0]).toContain('VDK_CONTROL_SERVICE_REST_API_URL');
        expect(run.errors[0]).toContain(JSON.stringify(withoutScheme));
        expect(run.outputs).toEqual({});
      });
    });

    test('an api-url with credentials is refused without echoing them', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const apiUrl = service.baseUrl.replace(
          'http://',
          'http://reader:pa55word@'
        );
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'api-url': apiUrl })
        });
        expect(run.exitCode, describeRun(run)).toBe(1);
        expect(service.requests).toHaveLength(0);
        expect(run.errors).toHaveLength(1);
        expect(run.errors[0]).toContain('api-url');
        expect(run.errors[0]).toContain('api-token');
        expect(run.stdout + run.stderr).not.toContain('pa55word');
        expect(run.outputs).toEqual({});
      });
    });

    test('no api-url anywhere is refused, naming the input and the variable', async ({
      expect
    }) => {
      const run = await runAction({
        node,
        inputs: { 'job-name': 'ingest-sales', team: 'data-platform' }
      });
      expect(run.exitCode, describeRun(run)).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain('api-url');
      expect(run.errors[0]).toContain('VDK_CONTROL_SERVICE_REST_API_URL');
      expect(run.outputs).toEqual({});
    });
  });

  describe.concurrent('accepted edge values', () => {
    test('fractional timeout, zero retries and case-insensitive words', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'http-timeout-seconds': '2.5',
            'http-retries': '0',
            'on-error': 'Fail',
            enabled: 'TRUE'
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.errors).toEqual([]);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
      });
    });

    test('a broken proxy variable that no request uses is left alone', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          // An http service: https_proxy does not apply to it.
          inputs: checkInputs(service, {
            'api-url': service.urlFor(PROXIED_HOST)
          }),
          env: { https_proxy: 'socks5://vm:1080', HTTPS_PROXY: 'vm:99999' }
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.errors).toEqual([]);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
      });
    });

    test('the largest allowed http-retries is accepted', async ({ expect }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'http-retries': '10' })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
      });
    });
  });
});
