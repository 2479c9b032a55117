import { statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import * as execStandIn from '../../stand-ins/actions-exec.js';
import * as tunnelStandIn from '../../stand-ins/tunnel.cjs';
import { ProxyAgent } from '../../stand-ins/undici.js';

const actionBundle = new URL('../../dist/index.js', import.meta.url);

describe('the bundle', () => {
  it('stays within 500 KiB, undici left out', () => {
    expect(statSync(actionBundle).size).toBeLessThanOrEqual(500 * 1024);
  });

  it('has a stand-in for undici that says so if it is ever used', () => {
    expect(() => new ProxyAgent()).toThrow(/undici is not bundled/);
  });

  it('has a stand-in for @actions/exec that says so if it is ever used', () => {
    expect(() => execStandIn.exec()).toThrow(/@actions\/exec is not bundled/);
    expect(() => execStandIn.getExecOutput()).toThrow(
      /core\.platform is not available/
    );
  });

  it('has a stand-in for tunnel that hands each call to the real one', () => {
    const proxy = { host: '127.0.0.1', port: 3128 };
    // Making an agent opens no connection. The real package speaks to the
    // proxy with http.request, or https.request for a TLS proxy, and marks
    // a tunnel to an https target with port 443.
    const kinds = [
      [tunnelStandIn.httpOverHttp, http.request, undefined],
      [tunnelStandIn.httpsOverHttp, http.request, 443],
      [tunnelStandIn.httpOverHttps, https.request, undefined],
      [tunnelStandIn.httpsOverHttps, https.request, 443]
    ] as const;
    for (const [makeAgent, proxyRequest, defaultPort] of kinds) {
      const agent = makeAgent({ proxy });
      expect(agent.constructor.name).toBe('TunnelingAgent');
      expect(Reflect.get(agent, 'proxyOptions')).toEqual(proxy);
      expect(Reflect.get(agent, 'request')).toBe(proxyRequest);
      expect(Reflect.get(agent, 'defaultPort')).toBe(defaultPort);
    }
  });
});
