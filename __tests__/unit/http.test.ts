import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_SECONDS, retryAfterMs } from '../../src/http.js';

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 11, 4, 10, 0, 0);

  it('reads seconds', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(['2', '9'], now)).toBe(2000);
  });

  it('reads an HTTP date', () => {
    expect(retryAfterMs('Fri, 04 Dec 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Fri, 04 Dec 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('caps a long wait', () => {
    expect(retryAfterMs('86400', now)).toBe(MAX_RETRY_AFTER_SECONDS * 1000);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs('', now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
  });
});
