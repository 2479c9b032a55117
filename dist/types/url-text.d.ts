/**
 * A URL as given, for a message, with what may be a user name and password
 * hidden: anything between "//" and the last "@", or everything before that
 * "@" when there is no "//". They must not reach the log, even when the rest
 * of the value is malformed and cannot be parsed.
 */
export declare function withoutCredentials(value: string): string;
