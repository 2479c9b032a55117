/** A setting that cannot be used; the step fails before any request. */
export declare class ConfigurationError extends Error {
    name: string;
}
/**
 * The check could not be completed: the service was unreachable, too slow,
 * answered an error or something that is not a list of executions.
 */
export declare class CheckFailedError extends Error {
    name: string;
}
/** A readable message for any thrown value, Error or not. */
export declare function describeError(thrown: unknown): string;
