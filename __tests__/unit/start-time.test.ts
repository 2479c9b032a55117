import { describe, expect, it } from 'vitest';
import { compareInstants, parseStartTime } from '../../src/start-time.js';

const epochMs = (text: string): number | undefined =>
  parseStartTime(text)?.epochMs;

describe('parseStartTime', () => {
  it.each([
    ['2026-12-04T10:00:00Z', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T10:00:00.250Z', Date.UTC(2026, 11, 4, 10, 0, 0, 250)],
    ['2026-12-04T12:00:00+02:00', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T05:30:00-0430', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T11:00+01', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04 10:00:00z', Date.UTC(2026, 11, 4, 10)],
    // No offset: UTC on every runner, not the runner's own zone.
    ['2026-12-04T10:00:00', Date.UTC(2026, 11, 4, 10)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)]
  ])('reads %s', (text, expected) => {
    expect(epochMs(text)).toBe(expected);
  });

  it('keeps the digits below a millisecond', () => {
    expect(parseStartTime('2026-12-04T10:00:00.123456789Z')).toEqual({
      epochMs: Date.UTC(2026, 11, 4, 10, 0, 0, 123),
      nanosWithinMs: 456789
    });
  });

  it.each([
    '',
    '1',
    '0',
    'not started 1',
    'Thu, 04 Dec 2026 10:00:00 GMT',
    '2026-12-04',
    '2026-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-12-04T24:00:00Z',
    '2026-12-04T10:60:00Z',
    '2026-12-04T10:00:60Z',
    '2026-12-04T10:00:00+25:00',
    '2026-12-04T10:00:00.1234567890Z'
  ])('refuses %j', (text) => {
    expect(parseStartTime(text)).toBeNull();
  });
});

describe('compareInstants', () => {
  it('orders by milliseconds, then by what lies below them', () => {
    const at = (text: string) => {
      const instant = parseStartTime(text);
      if (instant === null) throw new Error(`unreadable ${text}`);
      return instant;
    };
    const early = at('2026-12-04T10:00:00.123100Z');
    const late = at('2026-12-04T10:00:00.123900Z');
    expect(compareInstants(early, late)).toBeLessThan(0);
    expect(compareInstants(late, early)).toBeGreaterThan(0);
    expect(compareInstants(early, at('2026-12-04T12:00:00.1231+02:00'))).toBe(
      0
    );
  });
});
