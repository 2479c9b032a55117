import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const OPENSSL = '/usr/bin/openssl';
const runFile = promisify(execFile);

/** A private CA and one server certificate it signed, made for one run. */
export interface TestCertificates {
  directory: string;
  caCertificatePath: string;
  caCertificatePem: string;
  serverKeyPath: string;
  serverKeyPem: string;
  serverCertificatePath: string;
  serverCertificatePem: string;
  /** The names the server certificate is valid for. */
  subjectAltNames: string[];
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    // An empty environment: no OPENSSL_CONF or other setting of the caller
    // may change what is generated.
    await runFile(OPENSSL, args, { cwd, env: {} });
  } catch (thrown) {
    const stderr =
      typeof thrown === 'object' && thrown !== null && 'stderr' in thrown
        ? String(thrown.stderr)
        : String(thrown);
    throw new Error(`${OPENSSL} ${args.join(' ')} failed: ${stderr}`);
  }
}

// P-256 keys: as good as RSA here, and made in milliseconds.
const KEY_OPTIONS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];

/**
 * Generates, with the openssl command line, a CA and a server certificate
 * for localhost, `extraDnsName` and 127.0.0.1, signed by that CA; with
 * `onlyExtraName`, for `extraDnsName` alone. Nothing trusts the CA unless a
 * test says so (NODE_EXTRA_CA_CERTS).
 */
export async function createTestCertificates(
  extraDnsName: string,
  options: { onlyExtraName?: boolean } = {}
): Promise<TestCertificates> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'vdk-skip-ca-'));
  const file = (name: string): string => path.join(directory, name);
  const subjectAltNames = options.onlyExtraName
    ? [`DNS:${extraDnsName}`]
    : ['DNS:localhost', `DNS:${extraDnsName}`, 'IP:127.0.0.1'];
  try {
    await openssl(
      [
        'req',
        '-x509',
        ...KEY_OPTIONS,
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '2',
        '-subj',
        '/CN=vdk-execution-skip test CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign'
      ],
      directory
    );
    await openssl(
      [
        'req',
        '-new',
        ...KEY_OPTIONS,
        '-nodes',
        '-keyout',
        'server.key',
        '-out',
        'server.csr',
        '-subj',
        '/CN=localhost'
      ],
      directory
    );
    await fs.writeFile(
      file('server.ext'),
      [
        `subjectAltName=${subjectAltNames.join(',')}`,
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        ''
      ].join('\n')
    );
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${Date.now().toString(16)}`,
        '-days',
        '2',
        '-extfile',
        'server.ext',
        '-out',
        'server.crt'
      ],
      directory
    );
    // Fails here, with openssl's reason, rather than as a puzzling TLS
    // error in some test.
    await openssl(['verify', '-CAfile', 'ca.crt', 'server.crt'], directory);
    return {
      directory,
      caCertificatePath: file('ca.crt'),
      caCertificatePem: await fs.readFile(file('ca.crt'), 'utf8'),
      serverKeyPath: file('server.key'),
      serverKeyPem: await fs.readFile(file('server.key'), 'utf8'),
      serverCertificatePath: file('server.crt'),
      serverCertificatePem: await fs.readFile(file('server.crt'), 'utf8'),
      subjectAltNames
    };
  } catch (thrown) {
    await fs.rm(directory, { recursive: true, force: true });
    throw thrown;
  }
}

export async function removeTestCertificates(
  certificates: TestCertificates
): Promise<void> {
  await fs.rm(certificates.directory, { recursive: true, force: true });
}
