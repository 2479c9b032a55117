/**
 * A start time reduced to something every runner compares the same way:
 * milliseconds since the epoch, and the nanoseconds within that millisecond
 * that the service may send (Java prints up to nine fraction digits).
 */
export interface Instant {
  epochMs: number;
  nanosWithinMs: number;
}

// Strict ISO 8601 date and time, as the Control Service writes it. A lenient
// parser such as Date.parse reads "1" as the year 2001 and a time without an
// offset in the runner's own zone, which would let runners disagree.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function offsetMinutes(zone: string | undefined): number | null {
  // No offset: read as UTC, the same on every runner.
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (hours * 60 + minutes);
}

/** The instant a start time names, or null when it is not strict ISO 8601. */
export function parseStartTime(text: string): Instant | null {
  const match = ISO_8601.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number
  ];
  const offset = offsetMinutes(match[8]);
  if (
    offset === null ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  const fraction = (match[7] ?? '').padEnd(9, '0');
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3)));
  return {
    epochMs: date.getTime() - offset * 60_000,
    nanosWithinMs: Number(fraction.slice(3))
  };
}

/** Negative when a is earlier, positive when later, 0 when equal. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.epochMs !== b.epochMs) return a.epochMs < b.epochMs ? -1 : 1;
  return a.nanosWithinMs - b.nanosWithinMs;
}
