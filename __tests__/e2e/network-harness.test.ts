import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ForwardProxy } from '../support/forward-proxy.js';
import {
  hostsFileComesFirst,
  isLoopbackToHttpClient,
  localNonLoopbackHostName,
  parseHostsFile
} from '../support/local-host-name.js';
import { withStandIn } from '../support/scenario.js';
import {
  executionList,
  type StandInControlService
} from '../support/stand-in-control-service.js';
import {
  createTestCertificates,
  removeTestCertificates,
  type TestCertificates
} from '../support/test-ca.js';

// The fault matrix trusts these helpers to tell it what went where; here
// they are checked against plain Node clients.

interface PlainAnswer {
  status: number;
  body: string;
}

function readAnswer(
  request: http.ClientRequest,
  body?: string
): Promise<PlainAnswer> {
  return new Promise((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: text })
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends `lines` to the proxy and returns everything it answers, until the
 * proxy hangs up or `isComplete` says that the answer is all there: a
 * tunnel stays open until the client leaves.
 */
function rawExchange(
  proxy: ForwardProxy,
  lines: string,
  isComplete: (text: string) => boolean = () => false
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(lines));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (isComplete(text)) socket.end();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

async function withProxy<T>(
  body: (proxy: ForwardProxy) => Promise<T>
): Promise<T> {
  const proxy = await ForwardProxy.start();
  try {
    return await body(proxy);
  } finally {
    await proxy.close();
  }
}

let certificates: TestCertificates | undefined;
let hostName = '';

beforeAll(async () => {
  hostName = localNonLoopbackHostName();
  certificates = await createTestCertificates(hostName);
});

afterAll(async () => {
  if (certificates) await removeTestCertificates(certificates);
});

describe('the local host name', () => {
  test('reads names and addresses from a hosts file', ({ expect }) => {
    const hosts = parseHostsFile(
      [
        '# comment line',
        '127.0.0.1 localhost',
        '127.0.0.1\tbuild-box   build-box.internal # trailing comment',
        '::1 localhost ip6-localhost',
        ''
      ].join('\n')
    );
    expect(hosts.get('build-box')).toEqual(['127.0.0.1']);
    expect(hosts.get('build-box.internal')).toEqual(['127.0.0.1']);
    expect(hosts.get('localhost')).toEqual(['127.0.0.1', '::1']);
    expect(hosts.has('comment')).toBe(false);
  });

  test('knows which names the HTTP client never proxies', ({ expect }) => {
    expect(isLoopbackToHttpClient('localhost')).toBe(true);
    expect(isLoopbackToHttpClient('127.0.0.1')).toBe(true);
    expect(isLoopbackToHttpClient('[::1]')).toBe(true);
    expect(isLoopbackToHttpClient('vm')).toBe(false);
    expect(isLoopbackToHttpClient('build-box.internal')).toBe(false);
  });

  test('requires /etc/hosts to be read before DNS', ({ expect }) => {
    expect(hostsFileComesFirst('hosts: files dns\n')).toBe(true);
    expect(hostsFileComesFirst('hosts: files [NOTFOUND=return] dns')).toBe(
      true
    );
    expect(hostsFileComesFirst('hosts: dns files')).toBe(false);
    expect(hostsFileComesFirst('hosts: dns')).toBe(false);
    expect(hostsFileComesFirst('passwd: files\n')).toBe(false);
  });

  test('is a name /etc/hosts maps to 127.0.0.1 alone, not loopback to the client', ({
    expect
  }) => {
    expect(isLoopbackToHttpClient(hostName)).toBe(false);
    const hosts = parseHostsFile(readFileSync('/etc/hosts', 'utf8'));
    expect(new Set(hosts.get(hostName))).toEqual(new Set(['127.0.0.1']));
    // This machine's own name is preferred whenever /etc/hosts has it alone
    // on 127.0.0.1.
    const own = os.hostname().toLowerCase();
    const ownMapsToLoopbackOnly =
      (hosts.get(own) ?? []).length > 0 &&
      (hosts.get(own) ?? []).every((address) => address === '127.0.0.1');
    const preferred = ownMapsToLoopbackOnly ? own : hostName;
    expect(hostName).toBe(preferred);
  });
});

describe.concurrent('the forward proxy', () => {
  test('tunnels CONNECT to a registered target, on 127.0.0.1', async ({
    expect
  }) => {
    await withStandIn(
      { responses: [executionList([])] },
      async (service: StandInControlService) => {
        await withProxy(async (proxy) => {
          proxy.allow(hostName, service.port);
          const target = `${hostName}:${service.port}`;
          const answer = await rawExchange(
            proxy,
            `CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n\r\n` +
              `GET /through HTTP/1.1\r\nhost: ${target}\r\n\r\n`,
            // The stand-in's answer, an empty list, ends the exchange.
            (text) => text.endsWith('\r\n\r\n[]')
          );
          expect(answer).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n/);
          expect(answer).toMatch(/HTTP\/1\.1 200 OK/);
          expect(proxy.requests).toEqual([
            { method: 'CONNECT', target, forwarded: true }
          ]);
          expect(service.requests.map((request) => request.rawUrl)).toEqual([
            '/through'
          ]);
          expect(service.requests[0]!.headers.host).toBe(target);
        });
      }
    );
  });

  test('refuses a CONNECT to a port the test did not register', async ({
    expect
  }) => {
    await withStandIn(
      { responses: [executionList([])] },
      async (service: StandInControlService) => {
        await withProxy(async (proxy) => {
          proxy.allow(hostName, service.port + 1);
          const target = `${hostName}:${service.port}`;
          const answer = await rawExchange(
            proxy,
            `CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n\r\n`
          );
          expect(answer).toMatch(/^HTTP\/1\.1 403 /);
          expect(proxy.requests).toEqual([
            { method: 'CONNECT', target, forwarded: false }
          ]);
          expect(service.connectionCount).toBe(0);
        });
      }
    );
  });

  test('forwards an absolute-form GET to a registered target only', async ({
    expect
  }) => {
    await withStandIn(
      { responses: [executionList([])] },
      async (service: StandInControlService) => {
        await withProxy(async (proxy) => {
          proxy.allow(hostName, service.port);
          const port = Number(new URL(proxy.url).port);
          const allowed = await readAnswer(
            http.request({
              host: '127.0.0.1',
              port,
              path: `http://${hostName}:${service.port}/absolute?x=1`,
              agent: false
            })
          );
          const refused = await readAnswer(
            http.request({
              host: '127.0.0.1',
              port,
              path: `http://localhost:${service.port}/elsewhere`,
              agent: false
            })
          );
          expect(allowed).toEqual({ status: 200, body: '[]' });
          expect(refused.status).toBe(403);
          expect(proxy.requests).toEqual([
            {
              method: 'GET',
              target: `${hostName}:${service.port}`,
              forwarded: true
            },
            {
              method: 'GET',
              target: `localhost:${service.port}`,
              forwarded: false
            }
          ]);
          expect(service.requests.map((request) => request.rawUrl)).toEqual([
            '/absolute?x=1'
          ]);
        });
      }
    );
  });
});

describe.concurrent('the test CA and the TLS stand-in', () => {
  const hostNames = (): string[] => ['localhost', hostName, '127.0.0.1'];

  test('the server certificate names localhost, the host name and 127.0.0.1', ({
    expect
  }) => {
    expect(certificates!.subjectAltNames).toEqual([
      'DNS:localhost',
      `DNS:${hostName}`,
      'IP:127.0.0.1'
    ]);
    expect(readFileSync(certificates!.caCertificatePath, 'utf8')).toBe(
      certificates!.caCertificatePem
    );
  });

  test('a client that trusts the CA gets answers under every name', async ({
    expect
  }) => {
    const tls = {
      key: certificates!.serverKeyPem,
      cert: certificates!.serverCertificatePem
    };
    await withStandIn(
      { responses: [executionList([])], tls },
      async (service: StandInControlService) => {
        expect(service.baseUrl).toBe(`https://127.0.0.1:${service.port}`);
        for (const name of hostNames()) {
          const answer = await readAnswer(
            https.request(`${service.urlFor(name)}/`, {
              ca: certificates!.caCertificatePem,
              agent: false
            })
          );
          expect(answer).toEqual({ status: 200, body: '[]' });
        }
        expect(service.requests).toHaveLength(hostNames().length);
      }
    );
  });

  test('a client that does not trust the CA is refused with the leaf error', async ({
    expect
  }) => {
    const tls = {
      key: certificates!.serverKeyPem,
      cert: certificates!.serverCertificatePem
    };
    await withStandIn(
      { responses: [executionList([])], tls },
      async (service: StandInControlService) => {
        const failure = await readAnswer(
          https.request(`${service.baseUrl}/`, { agent: false })
        ).then(
          () => null,
          (thrown: unknown) => thrown
        );
        expect(failure).toMatchObject({
          code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
        });
        expect(service.requests).toEqual([]);
        expect(service.connectionCount).toBe(1);
      }
    );
  });
});

describe.concurrent('the stand-in', () => {
  test('records a request body', async ({ expect }) => {
    await withStandIn(
      { responses: [executionList([])] },
      async (service: StandInControlService) => {
        const request = http.request(`${service.baseUrl}/form`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          agent: false
        });
        await readAnswer(request, 'a=1&b=%2B');
        expect(service.requests[0]).toMatchObject({
          method: 'POST',
          rawUrl: '/form',
          body: 'a=1&b=%2B'
        });
      }
    );
  });

  test('resets a connection so that the client sees ECONNRESET', async ({
    expect
  }) => {
    await withStandIn(
      { responses: [{ reset: true }] },
      async (service: StandInControlService) => {
        const failure = await readAnswer(
          http.request(`${service.baseUrl}/`, { agent: false })
        ).then(
          () => null,
          (thrown: unknown) => thrown
        );
        expect(failure).toMatchObject({ code: 'ECONNRESET' });
        expect(service.requests).toHaveLength(1);
      }
    );
  });
});
