import { afterAll, describe, test } from 'vitest';
import { ForwardProxy } from '../support/forward-proxy.js';
import { localNonLoopbackHostName } from '../support/local-host-name.js';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction
} from '../support/run-action.js';
import {
  ACTIVE_STATUS_FILTER,
  checkFailedGoingAhead,
  checkInputs,
  describeRun,
  EXECUTIONS_PATH,
  linesRevealing,
  packageVersion,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import {
  executionList,
  type RecordedRequest
} from '../support/stand-in-control-service.js';

const checkDisabled = {
  skipped: 'false',
  reason: 'check-disabled',
  'blocking-execution-id': '',
  'termination-message-path': ''
};

// Shaped like a JWT and holding characters that need escaping somewhere.
const ACCESS_TOKEN =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2ZGsifQ.c2lnbmF0dXJl+/=%token';
const OTHER_TOKEN = 'env-token-5f1c2a9e7b3d4c6a';

function splitRawUrl(request: RecordedRequest): {
  path: string;
  query: URLSearchParams;
} {
  const separator = request.rawUrl.indexOf('?');
  return separator === -1
    ? { path: request.rawUrl, query: new URLSearchParams() }
    : {
        path: request.rawUrl.slice(0, separator),
        query: new URLSearchParams(request.rawUrl.slice(separator + 1))
      };
}

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('request on $label', (node) => {
  describe.concurrent('turning the check off', () => {
    test('input enabled: false sends nothing and goes ahead', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { enabled: 'false' })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(checkDisabled);
        expect(service.requests).toHaveLength(0);
      });
    });

    test('VDK_EXECUTION_SKIP_CHECKER_ENABLED=false sends nothing and goes ahead', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service),
          env: { VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'false' }
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(checkDisabled);
        expect(service.requests).toHaveLength(0);
      });
    });

    test('disabled needs no api-url at all', async ({ expect }) => {
      const run = await runAction({
        node,
        inputs: { 'job-name': 'ingest-sales', team: 'data-platform' },
        env: { VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'false' }
      });
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(checkDisabled);
    });

    test('input enabled: true wins over the environment variable', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { enabled: 'true' }),
          env: { VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'false' }
        });
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
      });
    });
  });

  describe.concurrent('where the request goes', () => {
    test('the api-url comes from VDK_CONTROL_SERVICE_REST_API_URL when the input is empty', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'api-url': '' }),
          env: { VDK_CONTROL_SERVICE_REST_API_URL: service.baseUrl }
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests.map((request) => request.method)).toEqual([
          'GET'
        ]);
        expect(splitRawUrl(service.requests[0]!).path).toBe(EXECUTIONS_PATH);
      });
    });

    test('the api-url input wins over the environment variable', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, (fromInput) =>
        withStandIn({ responses: [executionList([])] }, async (fromEnv) => {
          const run = await runAction({
            node,
            inputs: checkInputs(fromInput),
            env: { VDK_CONTROL_SERVICE_REST_API_URL: fromEnv.baseUrl }
          });
          expect(run.outputs).toEqual(wentAhead());
          expect(fromInput.requests).toHaveLength(1);
          expect(fromEnv.requests).toHaveLength(0);
        })
      );
    });

    test('team and job name are percent-encoded as single path segments', async ({
      expect
    }) => {
      const team = 'data team/eu #1?';
      const jobName = 'sales job/daily#2?x';
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { team, 'job-name': jobName })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
        const { path, query } = splitRawUrl(service.requests[0]!);
        // Hex digits may be upper or lower case; the segments must decode
        // back to the names, and nothing may leak into fragment or query.
        expect(path).not.toMatch(/[ #?]/);
        expect(path.split('/').map(decodeURIComponent)).toEqual([
          '',
          'data-jobs',
          'for-team',
          team,
          'jobs',
          jobName,
          'executions'
        ]);
        expect(query.getAll('execution_status')).toEqual(ACTIVE_STATUS_FILTER);
      });
    });

    test('a base path with a trailing slash is kept without a double slash', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'api-url': `${service.baseUrl}/control/`
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(splitRawUrl(service.requests[0]!).path).toBe(
          `/control${EXECUTIONS_PATH}`
        );
      });
    });

    test('a base path without a trailing slash is kept too', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'api-url': `${service.baseUrl}/vdk/control`
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(splitRawUrl(service.requests[0]!).path).toBe(
          `/vdk/control${EXECUTIONS_PATH}`
        );
      });
    });

    test('the query asks for submitted and running executions only', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({ node, inputs: checkInputs(service) });
        expect(run.outputs).toEqual(wentAhead());
        const [request] = service.requests;
        expect(request?.method).toBe('GET');
        const { query } = splitRawUrl(request!);
        expect([...new Set(query.keys())]).toEqual(['execution_status']);
        expect(query.getAll('execution_status')).toEqual(ACTIVE_STATUS_FILTER);
        expect(request!.headers['accept']).toMatch(/application\/json/);
        expect(request!.headers['user-agent']).toContain(
          `vdk-execution-skip/${packageVersion()}`
        );
      });
    });
  });

  describe.concurrent('authorization', () => {
    test('the api-token input is sent as a bearer token and masked', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'api-token': ACCESS_TOKEN })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests[0]!.headers['authorization']).toBe(
          `Bearer ${ACCESS_TOKEN}`
        );
        expect(run.masks).toContain(ACCESS_TOKEN);
        expect(linesRevealing(run, ACCESS_TOKEN)).toEqual([]);
        expect(linesRevealing(run, 'c2lnbmF0dXJl')).toEqual([]);
      });
    });

    test('VDK_API_TOKEN is used when the input is empty, and masked', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service),
          env: { VDK_API_TOKEN: OTHER_TOKEN }
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests[0]!.headers['authorization']).toBe(
          `Bearer ${OTHER_TOKEN}`
        );
        expect(run.masks).toContain(OTHER_TOKEN);
        expect(linesRevealing(run, OTHER_TOKEN)).toEqual([]);
      });
    });

    test('the api-token input wins over VDK_API_TOKEN', async ({ expect }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, { 'api-token': ACCESS_TOKEN }),
          env: { VDK_API_TOKEN: OTHER_TOKEN }
        });
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests[0]!.headers['authorization']).toBe(
          `Bearer ${ACCESS_TOKEN}`
        );
      });
    });

    test('the token stays out of the log when the check fails too', async ({
      expect
    }) => {
      await withStandIn(
        {
          responses: [
            {
              status: 401,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ what: 'Unauthorized', why: 'expired' })
            }
          ]
        },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, { 'api-token': ACCESS_TOKEN })
          });
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings).toHaveLength(1);
          expect(linesRevealing(run, ACCESS_TOKEN)).toEqual([]);
        }
      );
    });

    test('without any token no Authorization header is sent', async ({
      expect
    }) => {
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({ node, inputs: checkInputs(service) });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
        expect(service.requests[0]!.headers).not.toHaveProperty(
          'authorization'
        );
        expect(run.masks).toEqual([]);
      });
    });
  });
  describe.concurrent('a proxy that wants credentials', () => {
    const PROXY_USER = 'deploy';
    const PROXY_PASSWORD = 'pr0xy-s3cret-7d41';

    test('http_proxy credentials reach the proxy only, masked, with no warning on standard error', async ({
      expect
    }) => {
      const hostName = localNonLoopbackHostName();
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const proxy = await ForwardProxy.start();
        try {
          proxy.allow(hostName, service.port);
          const proxyUrl = new URL(proxy.url);
          proxyUrl.username = PROXY_USER;
          proxyUrl.password = PROXY_PASSWORD;
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'api-url': service.urlFor(hostName)
            }),
            env: { http_proxy: proxyUrl.href }
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(wentAhead());
          const basic = Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString(
            'base64'
          );
          expect(proxy.requests).toEqual([
            {
              method: 'CONNECT',
              target: `${hostName}:${String(service.port)}`,
              forwarded: true,
              proxyAuthorization: `Basic ${basic}`
            }
          ]);
          expect(service.requests).toHaveLength(1);
          expect(service.requests[0]!.headers).not.toHaveProperty(
            'proxy-authorization'
          );
          // Masked before the request, and never printed in the clear.
          expect(run.masks).toContain(PROXY_PASSWORD);
          const maskedAt = run.stdout.indexOf(`::add-mask::${PROXY_PASSWORD}`);
          const requestedAt = run.stdout.indexOf('::debug::GET ');
          expect(requestedAt).toBeGreaterThan(-1);
          expect(maskedAt).toBeGreaterThan(-1);
          expect(maskedAt).toBeLessThan(requestedAt);
          expect(linesRevealing(run, PROXY_PASSWORD)).toEqual([]);
          // The log says which proxy, without its credentials.
          expect(run.stdout).toContain(
            `Requests to the Control Service go through the proxy http://${proxyUrl.host} (http_proxy).`
          );
          // Node's Buffer() deprecation warning, from the tunnel library
          // before it was patched, would land in the job log.
          expect(run.stderr).not.toContain('DeprecationWarning');
        } finally {
          await proxy.close();
        }
      });
    });

    test('when the proxy refuses the tunnel, its password stays masked in the warning', async ({
      expect
    }) => {
      const hostName = localNonLoopbackHostName();
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const proxy = await ForwardProxy.start();
        try {
          // Nothing allowed: the proxy answers CONNECT with 403.
          const proxyUrl = new URL(proxy.url);
          proxyUrl.username = PROXY_USER;
          proxyUrl.password = PROXY_PASSWORD;
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'api-url': service.urlFor(hostName)
            }),
            env: { HTTP_PROXY: proxyUrl.href }
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs['reason']).toBe('check-failed');
          expect(run.warnings.join('\n')).toContain('HTTP 403');
          expect(run.masks).toContain(PROXY_PASSWORD);
          expect(linesRevealing(run, PROXY_PASSWORD)).toEqual([]);
          expect(service.requests).toHaveLength(0);
        } finally {
          await proxy.close();
        }
      });
    });
  });
});
