// `npm run local-action` runs src/main.ts with @github/local-action, which
// swaps @actions/core for its own stub and reads inputs from an env file.
// These tests run it as a developer would: the committed .env.example on its
// own, then as .env.example tells to point it at the stand-in service.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/run-action.js';
import { runToEnd } from '../support/child-process.js';

const ENV_EXAMPLE = path.join(repositoryRoot, '.env.example');
const LOCAL_ACTION_BIN = path.join(
  repositoryRoot,
  'node_modules',
  '.bin',
  'local-action'
);
const RUNNING_EXECUTION = 'ingest-sales-1764806400';

interface CommandRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

let scratch = '';

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'vdk-skip-local-'));
});

afterAll(async () => {
  if (scratch !== '') await fs.rm(scratch, { recursive: true, force: true });
});

/**
 * A clean environment: a fresh HOME, and npm kept offline and quiet, since
 * nothing here needs the registry.
 */
function cleanEnvironment(): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    npm_config_update_notifier: 'false',
    npm_config_offline: 'true',
    npm_config_fund: 'false'
  };
}

async function runCommand(
  command: string,
  args: string[],
  killAfterMs = 90_000
): Promise<CommandRun> {
  const { exitCode, stdout, stderr } = await runToEnd(command, args, {
    cwd: repositoryRoot,
    env: cleanEnvironment(),
    killAfterMs
  });
  return { exitCode, stdout, stderr };
}

/**
 * The "Action Outputs" table local-action prints, by output name; null when
 * it prints that no output was set.
 */
function printedOutputs(stdout: string): Record<string, string> | null {
  const start = stdout.lastIndexOf('Action Outputs');
  expect(start, 'local-action printed its outputs section').toBeGreaterThan(-1);
  const section = stdout.slice(start);
  if (section.includes('No outputs were set!')) return null;
  const outputs: Record<string, string> = {};
  for (const line of section.split('\n')) {
    const row = /^│\s*\d+\s*│\s*'([^']*)'\s*│\s*'([^']*)'\s*│$/.exec(line);
    if (row?.[1] !== undefined) outputs[row[1]] = row[2] ?? '';
  }
  return outputs;
}

function describeCommand(run: CommandRun): string {
  return `exit ${String(run.exitCode)}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

/** .env.example with `lines` added at its end, where they win. */
async function envFileWith(name: string, lines: string[]): Promise<string> {
  const file = path.join(scratch, name);
  const example = readFileSync(ENV_EXAMPLE, 'utf8');
  await fs.writeFile(file, `${example}\n${lines.join('\n')}\n`);
  return file;
}

describe('npm run local-action', () => {
  it('is the script that runs src/main.ts with .env.example', () => {
    const manifest: unknown = JSON.parse(
      readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')
    );
    const scripts =
      typeof manifest === 'object' && manifest !== null && 'scripts' in manifest
        ? manifest.scripts
        : undefined;
    expect(scripts).toMatchObject({
      'local-action': 'local-action . src/main.ts .env.example'
    });
  });

  it('runs from a clean checkout with no service and reports the outputs', async () => {
    const run = await runCommand('npm', ['run', 'local-action']);
    expect(run.exitCode, describeCommand(run)).toBe(0);
    expect(run.stdout).toContain('Running Action');
    expect(run.stdout).not.toContain('::error::');
    expect(run.stdout).toContain(
      'The execution skip check is disabled: going ahead.'
    );
    expect(printedOutputs(run.stdout)).toEqual({
      skipped: 'false',
      reason: 'check-disabled',
      'blocking-execution-id': '',
      'termination-message-path': ''
    });
  });
});

describe('local-action with .env.example pointed at the stand-in service', () => {
  let service: ChildProcess | undefined;
  let serviceUrl = '';

  beforeAll(async () => {
    const readyFile = path.join(scratch, 'stand-in-url');
    service = spawn(
      process.execPath,
      [
        path.join(repositoryRoot, 'scripts', 'stand-in-service.mjs'),
        '--port',
        '0',
        '--execution-id',
        RUNNING_EXECUTION,
        '--ready-file',
        readyFile
      ],
      { cwd: repositoryRoot, env: {}, stdio: 'ignore' }
    );
    const deadline = Date.now() + 10_000;
    while (serviceUrl === '' && Date.now() < deadline) {
      serviceUrl = await fs
        .readFile(readyFile, 'utf8')
        .then((text) => text.trim())
        .catch(() => '');
      if (serviceUrl === '') {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  afterAll(async () => {
    const child = service;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => resolve())
    );
    child.kill('SIGTERM');
    await exited;
  });

  it('stands aside, as the comment in .env.example says it will', async () => {
    const example = readFileSync(ENV_EXAMPLE, 'utf8');
    // The lines the comment tells a developer to uncomment.
    expect(example).toMatch(/^# INPUT_ENABLED=true$/m);
    expect(example).toMatch(/^# INPUT_API-URL=http:\/\/127\.0\.0\.1:8092$/m);
    expect(example).toContain('node scripts/stand-in-service.mjs --port 8092');
    const runnerTemp = path.join(scratch, 'runner-temp');
    await fs.mkdir(runnerTemp);
    const envFile = await envFileWith('stand-in.env', [
      'INPUT_ENABLED=true',
      // The stand-in listens on a free port here rather than 8092.
      `INPUT_API-URL=${serviceUrl}`,
      `RUNNER_TEMP=${runnerTemp}`
    ]);
    const run = await runCommand(LOCAL_ACTION_BIN, [
      '.',
      'src/main.ts',
      envFile
    ]);
    expect(run.exitCode, describeCommand(run)).toBe(0);
    const terminationPath = path.join(runnerTemp, 'vdk-termination-log.json');
    expect(printedOutputs(run.stdout)).toEqual({
      skipped: 'true',
      reason: 'other-execution-running',
      'blocking-execution-id': RUNNING_EXECUTION,
      'termination-message-path': terminationPath
    });
    expect(JSON.parse(await fs.readFile(terminationPath, 'utf8'))).toEqual({
      vdk_version: expect.any(String),
      status: 'Skipped'
    });
  });

  it('exits 0 even when the action fails: only the log and outputs tell', async () => {
    const envFile = await envFileWith('bad-input.env', [
      'INPUT_ON-ERROR=sometimes'
    ]);
    const run = await runCommand(LOCAL_ACTION_BIN, [
      '.',
      'src/main.ts',
      envFile
    ]);
    expect(run.exitCode, describeCommand(run)).toBe(0);
    expect(run.stdout).toMatch(/^::error::.*on-error/m);
    expect(printedOutputs(run.stdout)).toBeNull();
  });
});

describe('the stand-in service script', () => {
  const script = path.join(repositoryRoot, 'scripts', 'stand-in-service.mjs');

  it('lists its flags with --help', async () => {
    const run = await runCommand(process.execPath, [script, '--help']);
    expect(run.exitCode, describeCommand(run)).toBe(0);
    for (const flag of ['--port', '--job-name', '--execution-id']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('--ready-file');
  });

  it('names an unknown flag and shows the usage, without a stack trace', async () => {
    const run = await runCommand(process.execPath, [script, '--prot', '8092']);
    expect(run.exitCode, describeCommand(run)).toBe(2);
    expect(run.stderr).toContain("Unknown option '--prot'");
    expect(run.stderr).toContain('Usage: node scripts/stand-in-service.mjs');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
