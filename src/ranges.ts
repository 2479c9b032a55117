import {
  MAX_HTTP_RETRIES,
  MAX_HTTP_TIMEOUT_SECONDS,
  MAX_WAIT_TIMEOUT_SECONDS
} from './constants.js';

/** The values a numeric setting may take. */
export interface Range {
  /** The smallest value allowed; excluded itself when `aboveMin` is set. */
  min: number;
  aboveMin?: boolean;
  max: number;
  wholeNumber?: boolean;
}

/**
 * The ranges of the numeric settings, one place for the action's inputs,
 * the command line's flags and the library's options.
 */
export const RANGES = {
  httpTimeoutSeconds: { min: 0, aboveMin: true, max: MAX_HTTP_TIMEOUT_SECONDS },
  httpRetries: { min: 0, max: MAX_HTTP_RETRIES, wholeNumber: true },
  waitTimeoutSeconds: { min: 0, max: MAX_WAIT_TIMEOUT_SECONDS },
  pollIntervalSeconds: { min: 1, max: MAX_HTTP_TIMEOUT_SECONDS }
} as const satisfies Record<string, Range>;

export function isInRange(value: number, range: Range): boolean {
  return (
    Number.isFinite(value) &&
    value >= range.min &&
    !(range.aboveMin === true && value === range.min) &&
    value <= range.max &&
    (range.wholeNumber !== true || Number.isInteger(value))
  );
}

/** "above 0", or "from 1": where the range starts, for messages. */
export function lowerBound(range: Range): string {
  return range.aboveMin ? `above ${range.min}` : `from ${range.min}`;
}
