import { OnError } from './constants.js';
/** Everything the check needs, parsed and validated once. */
export interface Settings {
    jobName: string;
    team: string;
    /** '' when this run's id is unknown. */
    executionId: string;
    /** null only when the check is disabled and no URL was given. */
    apiUrl: URL | null;
    /** '' when no token was given. */
    apiToken: string;
    /**
     * Where `apiToken`, then a VDK API token (an OAuth2 refresh token), is
     * exchanged for an access token; null when `apiToken` is used as it is.
     */
    apiTokenAuthorizationUrl: URL | null;
    enabled: boolean;
    onError: OnError;
    terminationMessagePath: string;
    httpTimeoutSeconds: number;
    httpRetries: number;
    /** 0 decides at once; otherwise how long to wait for older executions. */
    waitTimeoutSeconds: number;
    pollIntervalSeconds: number;
    /** Whether to write the decision to the step summary. */
    jobSummary: boolean;
}
/** Returns an input's value, '' when it is not set. */
export type InputReader = (name: string) => string;
type Environment = Readonly<Record<string, string | undefined>>;
/**
 * An http(s) URL without credentials, which would never be sent. `what`
 * names the URL in errors, e.g. "URL of the Control Service REST API".
 */
export declare function parseHttpUrl(value: string, source: string, what: string, allowQuery: boolean): URL;
/**
 * Reads and checks every setting. Throws ConfigurationError naming the input,
 * the value given and what is allowed; nothing is sent before this passes.
 */
export declare function readSettings(readInput: InputReader, env: Environment): Settings;
export {};
