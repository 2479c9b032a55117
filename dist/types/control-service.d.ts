import { type Execution } from './executions.js';
import { type CallSettings } from './http.js';
export interface ControlServiceQuery {
    apiUrl: URL;
    team: string;
    jobName: string;
    /** Bearer access token; '' sends no Authorization header. */
    accessToken: string;
    call: CallSettings;
}
/**
 * The executions endpoint of one job. Team and job name are single path
 * segments, so "/", "#", "?" and spaces in them are percent-encoded; a base
 * path in the API URL is kept, without a doubled slash.
 */
export declare function executionsUrl(apiUrl: URL, team: string, jobName: string): URL;
/**
 * What the service said about an error, from VDK's {what, why} body or the
 * OpenAPI {messages: [...]} shape; '' when the body says nothing usable.
 */
export declare function describeErrorBody(body: string): string;
/**
 * Asks the Control Service which executions of the job are submitted or
 * running. Throws CheckFailedError when that cannot be known.
 */
export declare function fetchExecutions(query: ControlServiceQuery): Promise<Execution[]>;
