import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, test } from 'vitest';
import {
  createRunDirectories,
  nodeBinaries,
  removeRunDirectories,
  runAction,
  type ActionRun,
  type NodeBinary,
  type RunDirectories
} from '../support/run-action.js';
import {
  checkInputs,
  describeRun,
  expectedTerminationMessage,
  packageVersion,
  stoodAsideFor,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import {
  buildExecution,
  executionList
} from '../support/stand-in-control-service.js';

const BLOCKING_ID = 'ingest-sales-1764831600';

/** Runs against a service where an older execution is running. */
async function runBlocked(
  node: NodeBinary,
  inputs: Record<string, string>,
  directories?: RunDirectories
): Promise<ActionRun> {
  const older = buildExecution({
    id: BLOCKING_ID,
    start_time: '2025-12-04T07:00:00Z'
  });
  // This run is listed too, so the only warning is about the file.
  const thisRun = buildExecution({
    id: 'ingest-sales-1764835200',
    start_time: '2025-12-04T08:00:00Z'
  });
  return withStandIn(
    { responses: [executionList([older, thisRun])] },
    async (service) =>
      runAction({
        node,
        inputs: checkInputs(service, {
          'execution-id': 'ingest-sales-1764835200-x7k2p',
          ...inputs
        }),
        ...(directories ? { directories } : {})
      })
  );
}

/** Temporary files the action may leave beside the target on failure. */
async function strayTemporaryFiles(folder: string): Promise<string[]> {
  const names = await fs.readdir(folder);
  return names.filter((name) => name.endsWith('.tmp'));
}

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('termination message on $label', (node) => {
  describe.concurrent('a run that stands aside', () => {
    test('writes exactly VDK’s Skipped message to the given path', async ({
      expect
    }) => {
      const directories = await createRunDirectories();
      const target = path.join(directories.root, 'termination-log');
      const run = await runBlocked(
        node,
        { 'termination-message-path': target },
        directories
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, target));
      const content = await fs.readFile(target, 'utf8');
      expect(content).toBe(expectedTerminationMessage());
      expect(JSON.parse(content)).toEqual({
        vdk_version: packageVersion(),
        status: 'Skipped'
      });
      expect(await strayTemporaryFiles(directories.root)).toEqual([]);
    });

    test('replaces a longer existing content completely', async ({
      expect
    }) => {
      const directories = await createRunDirectories();
      const target = path.join(directories.root, 'termination-log');
      const previous = JSON.stringify({
        vdk_version: '0.0.1-previous-run-with-a-long-version',
        status: 'Platform error',
        details: 'x'.repeat(500)
      });
      await fs.writeFile(target, previous);
      const run = await runBlocked(
        node,
        { 'termination-message-path': target },
        directories
      );
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, target));
      expect(await fs.readFile(target, 'utf8')).toBe(
        expectedTerminationMessage()
      );
    });

    test('creates missing parent folders', async ({ expect }) => {
      const directories = await createRunDirectories();
      const target = path.join(
        directories.root,
        'not',
        'there',
        'yet',
        'termination-log.json'
      );
      const run = await runBlocked(
        node,
        { 'termination-message-path': target },
        directories
      );
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, target));
      expect(await fs.readFile(target, 'utf8')).toBe(
        expectedTerminationMessage()
      );
    });

    test('defaults to $RUNNER_TEMP/vdk-termination-log.json', async ({
      expect
    }) => {
      const run = await runBlocked(node, {});
      const expectedPath = path.join(
        run.directories.runnerTemp,
        'vdk-termination-log.json'
      );
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, expectedPath));
      expect(await fs.readFile(expectedPath, 'utf8')).toBe(
        expectedTerminationMessage()
      );
    });

    test('a relative path is taken from the workspace, where the runner starts the step', async ({
      expect
    }) => {
      const run = await runBlocked(node, {
        'termination-message-path': 'logs/termination.json'
      });
      const expectedPath = path.join(
        run.directories.workspace,
        'logs',
        'termination.json'
      );
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, expectedPath));
      expect(await fs.readFile(expectedPath, 'utf8')).toBe(
        expectedTerminationMessage()
      );
    });

    test('a path under a regular file: warns, still stands aside, reports no path', async ({
      expect
    }) => {
      const directories = await createRunDirectories();
      const regularFile = path.join(directories.root, 'a-file');
      await fs.writeFile(regularFile, 'not a folder');
      const target = path.join(regularFile, 'termination-log');
      const run = await runBlocked(
        node,
        { 'termination-message-path': target },
        directories
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, ''));
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toContain(target);
      expect(await fs.readFile(regularFile, 'utf8')).toBe('not a folder');
    });

    test('a directory at the path: warns, still stands aside, leaves the directory alone', async ({
      expect
    }) => {
      const directories = await createRunDirectories();
      const target = path.join(directories.root, 'termination-log');
      await fs.mkdir(target);
      await fs.writeFile(path.join(target, 'keep-me'), 'kept');
      const run = await runBlocked(
        node,
        { 'termination-message-path': target },
        directories
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(stoodAsideFor(BLOCKING_ID, ''));
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toContain(target);
      expect((await fs.stat(target)).isDirectory()).toBe(true);
      expect(await fs.readFile(path.join(target, 'keep-me'), 'utf8')).toBe(
        'kept'
      );
      expect(await strayTemporaryFiles(directories.root)).toEqual([]);
    });
  });

  describe.concurrent('a run that goes ahead', () => {
    test('leaves an existing termination message file untouched', async ({
      expect
    }) => {
      const directories = await createRunDirectories();
      const target = path.join(directories.root, 'termination-log');
      const previous = '{"vdk_version":"0.0.9","status":"Success"}';
      await fs.writeFile(target, previous);
      const before = await fs.stat(target);
      const run = await withStandIn(
        { responses: [executionList([])] },
        (service) =>
          runAction({
            node,
            inputs: checkInputs(service, {
              'termination-message-path': target
            }),
            directories
          })
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toEqual(wentAhead());
      expect(await fs.readFile(target, 'utf8')).toBe(previous);
      const after = await fs.stat(target);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(after.ino).toBe(before.ino);
    });
  });
});
