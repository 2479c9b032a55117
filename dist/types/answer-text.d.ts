import type { HttpAnswer } from './http.js';
/** Text from a server on one line, shortened to fit in a message. */
export declare function oneLine(text: string): string;
/** A string field of a JSON object, trimmed; '' when absent or not text. */
export declare function textField(fields: Record<string, unknown>, name: string): string;
/** The body as a JSON object, or null when it is anything else. */
export declare function readJsonObject(body: string): Record<string, unknown> | null;
/** " after N attempts" when it took more than one; '' otherwise. */
export declare function afterAttempts(answer: HttpAnswer): string;
/** "HTTP 503 Service Unavailable". */
export declare function statusLine(answer: HttpAnswer): string;
