import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ForwardProxy } from '../support/forward-proxy.js';
import { localNonLoopbackHostName } from '../support/local-host-name.js';
import {
  nodeBinaries,
  removeRunDirectories,
  repositoryRoot,
  runAction,
  type ActionRun,
  type NodeBinary
} from '../support/run-action.js';
import {
  checkInputs,
  describeRun,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import { executionList } from '../support/stand-in-control-service.js';
import {
  createTestCertificates,
  removeTestCertificates,
  type TestCertificates
} from '../support/test-ca.js';

// The bundle defers https and tls (through the patch of
// @actions/http-client and the tunnel stand-in) and leaves child_process
// out (the @actions/exec stand-in): a plain-http run must not load them,
// and the runs that need them must still work. A preloaded module records
// the built-in modules Node loaded when the process exits.

const PROBE_SOURCE = `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  writeFileSync(
    process.env.BUILT_INS_PROBE_FILE,
    JSON.stringify(
      process.moduleLoadList
        .filter((entry) => entry.startsWith('NativeModule '))
        .map((entry) => entry.slice('NativeModule '.length))
    )
  );
});
`;

/** Built-ins a plain-http run without a proxy has no use for. */
const DEFERRED = ['https', 'tls', 'child_process'];

let probeDirectory = '';
let certificates: TestCertificates | undefined;
let hostName = '';

beforeAll(async () => {
  probeDirectory = await fs.mkdtemp(
    path.join(os.tmpdir(), 'vdk-skip-built-ins-')
  );
  await fs.writeFile(path.join(probeDirectory, 'probe.mjs'), PROBE_SOURCE);
  hostName = localNonLoopbackHostName();
  certificates = await createTestCertificates(hostName);
});

afterAll(async () => {
  await removeRunDirectories();
  if (certificates) await removeTestCertificates(certificates);
  if (probeDirectory) {
    await fs.rm(probeDirectory, { recursive: true, force: true });
  }
});

interface ProbedRun {
  run: ActionRun;
  builtIns: string[];
}

const runFile = promisify(execFile);

/** Built-in modules the probe recorded in `probeFile`. */
async function readProbe(probeFile: string): Promise<string[]> {
  const recorded: unknown = JSON.parse(await fs.readFile(probeFile, 'utf8'));
  if (
    !Array.isArray(recorded) ||
    !recorded.every((entry) => typeof entry === 'string')
  ) {
    throw new Error(`The probe wrote ${JSON.stringify(recorded)}.`);
  }
  return recorded;
}

/** A fresh file for the probe to write, and the NODE_OPTIONS that load it. */
function probeEnvironment(): {
  probeFile: string;
  env: Record<string, string>;
} {
  const probeFile = path.join(
    probeDirectory,
    `loaded-${String(process.hrtime.bigint())}-${String(Math.random())}.json`
  );
  const probeUrl = pathToFileURL(path.join(probeDirectory, 'probe.mjs'));
  return {
    probeFile,
    env: {
      NODE_OPTIONS: `--import=${probeUrl.href}`,
      BUILT_INS_PROBE_FILE: probeFile
    }
  };
}

/** Runs the action with the probe preloaded; returns what Node loaded. */
async function runProbed(
  node: NodeBinary,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ProbedRun> {
  const probe = probeEnvironment();
  const run = await runAction({
    node,
    inputs,
    env: { ...env, ...probe.env }
  });
  return { run, builtIns: await readProbe(probe.probeFile) };
}

function requireCertificates(): TestCertificates {
  if (!certificates) throw new Error('The test CA was not created.');
  return certificates;
}

describe.each(nodeBinaries())('built-ins loaded on $label', (node) => {
  test('a plain-http request without a proxy loads no https, tls or child_process', async ({
    expect
  }) => {
    await withStandIn({ responses: [executionList([])] }, async (service) => {
      const { run, builtIns } = await runProbed(node, checkInputs(service));
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
      // The probe works: the request itself needed http.
      expect(builtIns).toContain('http');
      for (const name of DEFERRED) expect(builtIns).not.toContain(name);
    });
  });

  test('an https request loads https and tls on demand and decides', async ({
    expect
  }) => {
    const ca = requireCertificates();
    await withStandIn(
      {
        responses: [executionList([])],
        tls: { key: ca.serverKeyPem, cert: ca.serverCertificatePem }
      },
      async (service) => {
        const { run, builtIns } = await runProbed(node, checkInputs(service), {
          NODE_EXTRA_CA_CERTS: ca.caCertificatePath
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
        expect(builtIns).toEqual(expect.arrayContaining(['https', 'tls']));
        expect(builtIns).not.toContain('child_process');
      }
    );
  });

  test('a request through https_proxy goes through a CONNECT tunnel and decides', async ({
    expect
  }) => {
    const ca = requireCertificates();
    await withStandIn(
      {
        responses: [executionList([])],
        tls: { key: ca.serverKeyPem, cert: ca.serverCertificatePem }
      },
      async (service) => {
        const proxy = await ForwardProxy.start();
        try {
          proxy.allow(hostName, service.port);
          const { run, builtIns } = await runProbed(
            node,
            checkInputs(service, { 'api-url': service.urlFor(hostName) }),
            {
              https_proxy: proxy.url,
              NODE_EXTRA_CA_CERTS: ca.caCertificatePath
            }
          );
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(wentAhead());
          expect(proxy.requests).toEqual([
            {
              method: 'CONNECT',
              target: `${hostName}:${String(service.port)}`,
              forwarded: true
            }
          ]);
          expect(service.requests).toHaveLength(1);
          expect(builtIns).toEqual(expect.arrayContaining(['https', 'tls']));
        } finally {
          await proxy.close();
        }
      }
    );
  });

  test('the command line, plain http without a proxy, loads no https, tls or child_process', async ({
    expect
  }) => {
    await withStandIn({ responses: [executionList([])] }, async (service) => {
      const probe = probeEnvironment();
      const cli = path.join(repositoryRoot, 'dist', 'cli', 'index.js');
      const { stdout } = await runFile(
        node.path,
        [
          cli,
          '--job-name',
          'ingest-sales',
          '--team',
          'sales',
          '--api-url',
          service.baseUrl
        ],
        { env: probe.env }
      );
      expect(stdout).toBe('go ahead (no-other-execution)\n');
      const builtIns = await readProbe(probe.probeFile);
      expect(builtIns).toContain('http');
      for (const name of DEFERRED) expect(builtIns).not.toContain(name);
    });
  });
});
