// A proxy that itself speaks https, as some corporate proxies do: the
// client then opens TLS to the proxy before it asks for a tunnel, and a
// certificate from a private CA fails there, not at the Control Service.
// The proxy's certificate names only localhost and 127.0.0.1, not the
// service's host, so that a check against the wrong name fails.
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ForwardProxy } from '../support/forward-proxy.js';
import { localNonLoopbackHostName } from '../support/local-host-name.js';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction,
  type ActionRun,
  type NodeBinary
} from '../support/run-action.js';
import {
  checkInputs,
  describeRun,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import { executionList } from '../support/stand-in-control-service.js';
import {
  createTestCertificates,
  removeTestCertificates,
  type TestCertificates
} from '../support/test-ca.js';

let certificates: TestCertificates | undefined;
// A certificate for the service's host alone, as a proxy that intercepts
// the tunnel would present: it must not pass for the proxy's.
let serviceOnlyCertificates: TestCertificates | undefined;
let hostName = '';

beforeAll(async () => {
  hostName = localNonLoopbackHostName();
  certificates = await createTestCertificates('localhost');
  serviceOnlyCertificates = await createTestCertificates(hostName, {
    onlyExtraName: true
  });
  if (certificates.subjectAltNames.includes(`DNS:${hostName}`)) {
    throw new Error(`The proxy's certificate must not name ${hostName}.`);
  }
});

afterAll(async () => {
  await removeRunDirectories();
  if (certificates) await removeTestCertificates(certificates);
  if (serviceOnlyCertificates) {
    await removeTestCertificates(serviceOnlyCertificates);
  }
});

function requireCertificates(): TestCertificates {
  if (!certificates) throw new Error('The test CA was not created.');
  return certificates;
}

interface ProxiedRun {
  run: ActionRun;
  proxy: ForwardProxy;
  proxyUrl: string;
  serviceRequests: number;
  servicePort: number;
}

/**
 * One check of an http Control Service, reached as `hostName`, through an
 * https proxy whose certificate comes from the test CA.
 */
async function runThroughHttpsProxy(
  node: NodeBinary,
  env: Record<string, string>,
  proxyHost: 'localhost' | '127.0.0.1' = '127.0.0.1',
  ca: TestCertificates = requireCertificates()
): Promise<ProxiedRun> {
  return withStandIn({ responses: [executionList([])] }, async (service) => {
    const proxy = await ForwardProxy.start({
      tls: { key: ca.serverKeyPem, cert: ca.serverCertificatePem }
    });
    try {
      proxy.allow(hostName, service.port);
      const proxyUrl = new URL(proxy.url);
      proxyUrl.hostname = proxyHost;
      const run = await runAction({
        node,
        inputs: checkInputs(service, {
          'api-url': service.urlFor(hostName),
          'http-retries': '2'
        }),
        env: { http_proxy: proxyUrl.href, ...env }
      });
      return {
        run,
        proxy,
        proxyUrl: proxyUrl.href,
        serviceRequests: service.requests.length,
        servicePort: service.port
      };
    } finally {
      await proxy.close();
    }
  });
}

describe.each(nodeBinaries())('an https proxy on $label', (node) => {
  describe.concurrent('with a certificate from a private CA', () => {
    test.for(['127.0.0.1', 'localhost'] as const)(
      'NODE_EXTRA_CA_CERTS names the CA, proxy reached as %s: its certificate is checked against that name and the check decides',
      async (proxyHost, { expect }) => {
        const { run, proxy, proxyUrl, serviceRequests, servicePort } =
          await runThroughHttpsProxy(
            node,
            { NODE_EXTRA_CA_CERTS: requireCertificates().caCertificatePath },
            proxyHost
          );
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(proxyUrl).toMatch(new RegExp(`^https://${proxyHost}:`));
        expect(proxy.requests).toEqual([
          {
            method: 'CONNECT',
            target: `${hostName}:${String(servicePort)}`,
            forwarded: true
          }
        ]);
        expect(serviceRequests).toBe(1);
      }
    );

    test('NODE_EXTRA_CA_CERTS unset: the proxy is named with the TLS error and the hint, one attempt', async ({
      expect
    }) => {
      const { run, proxy, serviceRequests } = await runThroughHttpsProxy(
        node,
        {}
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs['reason']).toBe('check-failed');
      expect(run.warnings).toHaveLength(1);
      const warning = run.warnings[0] ?? '';
      expect(warning).toContain('proxy');
      expect(warning).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(warning).toContain('NODE_EXTRA_CA_CERTS');
      // A certificate does not change on a retry: one attempt of three.
      expect(warning).toMatch(/after 1 attempt\b/);
      expect(proxy.requests).toEqual([]);
      expect(serviceRequests).toBe(0);
    });
  });

  test('a plain-http proxy given as https://: named, with what to change, one attempt', async ({
    expect
  }) => {
    await withStandIn({ responses: [executionList([])] }, async (service) => {
      const proxy = await ForwardProxy.start();
      try {
        proxy.allow(hostName, service.port);
        const wrongScheme = proxy.url.replace(/^http:/, 'https:');
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'api-url': service.urlFor(hostName),
            'http-retries': '2'
          }),
          env: { http_proxy: wrongScheme }
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs['reason']).toBe('check-failed');
        const warning = run.warnings[0] ?? '';
        expect(warning).toContain('the TLS connection to the proxy failed');
        expect(warning).toContain('give its URL with http://');
        expect(warning).toMatch(/after 1 attempt\b/);
        expect(service.requests).toHaveLength(0);
      } finally {
        await proxy.close();
      }
    });
  });

  test.for(['127.0.0.1', 'localhost'] as const)(
    'a proxy at %s whose certificate names only the service: refused, naming the proxy, one attempt',
    async (proxyHost, { expect }) => {
      if (!serviceOnlyCertificates) throw new Error('No certificate made.');
      const { run, proxy, serviceRequests } = await runThroughHttpsProxy(
        node,
        { NODE_EXTRA_CA_CERTS: serviceOnlyCertificates.caCertificatePath },
        proxyHost,
        serviceOnlyCertificates
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs['reason']).toBe('check-failed');
      const warning = run.warnings[0] ?? '';
      expect(warning).toContain('the TLS connection to the proxy failed');
      expect(warning).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(warning).toContain(proxyHost);
      expect(warning).toMatch(/after 1 attempt\b/);
      expect(proxy.requests).toEqual([]);
      expect(serviceRequests).toBe(0);
    }
  );
});
