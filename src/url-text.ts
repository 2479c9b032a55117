/**
 * A URL as given, for a message, with anything between "//" and the last
 * "@" hidden: a user name and password there must not reach the log, even
 * when the rest of the value is malformed and cannot be parsed.
 */
export function withoutCredentials(value: string): string {
  return value.replace(/\/\/.*@/s, '//***@');
}
