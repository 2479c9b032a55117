import { readFileSync } from 'node:fs';
import os from 'node:os';

const HOSTS_FILE = '/etc/hosts';
const NSSWITCH_FILE = '/etc/nsswitch.conf';
const LOOPBACK_ADDRESS = '127.0.0.1';

// A name that a URL, a TLS certificate and no_proxy can all carry as is.
const PLAIN_HOST_NAME =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** The addresses /etc/hosts gives each name, names lower-cased. */
export function parseHostsFile(content: string): Map<string, string[]> {
  const addressesByName = new Map<string, string[]>();
  for (const rawLine of content.split('\n')) {
    const line = rawLine.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [address, ...names] = line.split(/\s+/);
    if (address === undefined) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      addressesByName.set(key, [...(addressesByName.get(key) ?? []), address]);
    }
  }
  return addressesByName;
}

/**
 * True when @actions/http-client would treat the name as loopback and so
 * never send it through a proxy: `localhost`, `127.*` and `[::1]`.
 */
export function isLoopbackToHttpClient(hostName: string): boolean {
  const lower = hostName.toLowerCase();
  return (
    lower === 'localhost' ||
    lower.startsWith('127.') ||
    lower.startsWith('[::1]') ||
    lower.startsWith('[0:0:0:0:0:0:0:1]')
  );
}

/**
 * True when the C library reads /etc/hosts before it asks DNS. Otherwise
 * even a name listed there could be sent to the machine's DNS server.
 */
export function hostsFileComesFirst(nsswitch: string): boolean {
  const hostsLine = nsswitch
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .find((line) => line.startsWith('hosts:'));
  // glibc's default without a hosts line asks DNS first.
  if (hostsLine === undefined) return false;
  const sources = hostsLine
    .slice('hosts:'.length)
    .trim()
    .split(/\s+/)
    .filter((word) => !word.startsWith('['));
  const files = sources.indexOf('files');
  const dns = sources.indexOf('dns');
  return files !== -1 && (dns === -1 || files < dns);
}

function readOptional(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

let chosenName: string | undefined;

/**
 * A host name that reaches 127.0.0.1 through /etc/hosts alone, yet is not
 * loopback by the HTTP client's rule, so that proxy settings apply to it.
 * Tests must never use a name that only DNS could answer: the machine's
 * resolver is not on this machine. Prefers this machine's own host name.
 */
export function localNonLoopbackHostName(): string {
  if (chosenName !== undefined) return chosenName;
  // Without the file (musl, as on Alpine) /etc/hosts is always read first.
  const nsswitch = readOptional(NSSWITCH_FILE);
  if (nsswitch !== null && !hostsFileComesFirst(nsswitch)) {
    throw new Error(
      `${NSSWITCH_FILE} does not read files before dns for hosts, so a name from ${HOSTS_FILE} could still be looked up in DNS; the proxy and host name tests need files first.`
    );
  }
  const hosts = readOptional(HOSTS_FILE);
  if (hosts === null) {
    throw new Error(
      `${HOSTS_FILE} cannot be read; the proxy and host name tests need a name there that maps to ${LOOPBACK_ADDRESS}.`
    );
  }
  const addressesByName = parseHostsFile(hosts);
  const usable = (name: string): boolean => {
    const addresses = addressesByName.get(name.toLowerCase()) ?? [];
    // Only 127.0.0.1: a ::1 entry for the same name could be tried first,
    // and the servers of the tests listen on 127.0.0.1 alone.
    return (
      PLAIN_HOST_NAME.test(name) &&
      !isLoopbackToHttpClient(name) &&
      !name.toLowerCase().startsWith('localhost') &&
      addresses.length > 0 &&
      addresses.every((address) => address === LOOPBACK_ADDRESS)
    );
  };
  const candidates = [os.hostname(), ...addressesByName.keys()];
  const found = candidates.find(usable);
  if (found === undefined) {
    throw new Error(
      `No name in ${HOSTS_FILE} maps to ${LOOPBACK_ADDRESS} alone without being "localhost" or 127.*: the proxy and host name tests need one (for example the line "${LOOPBACK_ADDRESS} ${os.hostname()}"). Names there: ${[...addressesByName.keys()].join(', ') || 'none'}.`
    );
  }
  chosenName = found.toLowerCase();
  return chosenName;
}
