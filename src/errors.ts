/** A setting that cannot be used; the step fails before any request. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * The check could not be completed: the service was unreachable, too slow,
 * answered an error or something that is not a list of executions.
 */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}

/** A readable message for any thrown value, Error or not. */
export function describeError(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
