/**
 * A URL as given, for a message, with what may be a user name and password
 * hidden: anything between "//" and the last "@", or everything before that
 * "@" when there is no "//". They must not reach the log, even when the rest
 * of the value is malformed and cannot be parsed.
 */
export function withoutCredentials(value: string): string {
  const at = value.lastIndexOf('@');
  if (at === -1) return value;
  // Without "//" ("user:password@host", "http:user:password@host") the
  // credentials may begin anywhere before the "@": all of it goes.
  const slashes = value.slice(0, at).indexOf('//');
  return slashes === -1
    ? `***${value.slice(at)}`
    : `${value.slice(0, slashes + 2)}***${value.slice(at)}`;
}
