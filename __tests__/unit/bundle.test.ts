import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProxyAgent } from '../../stand-ins/undici.js';

const actionBundle = new URL('../../dist/index.js', import.meta.url);

describe('the bundle', () => {
  it('stays within 500 KiB, undici left out', () => {
    expect(statSync(actionBundle).size).toBeLessThanOrEqual(500 * 1024);
  });

  it('has a stand-in for undici that says so if it is ever used', () => {
    expect(() => new ProxyAgent()).toThrow(/undici is not bundled/);
  });
});
