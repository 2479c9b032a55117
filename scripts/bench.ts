// `npm run bench`: how much the action costs a workflow step. It times whole
// processes the way the runner starts them, against bare node and against a
// floor that does the least the action must do, and measures peak memory,
// the bundle, a very long list of executions and the requests made. The
// results go to the terminal and to BENCHMARKS.md. Everything stays on this
// machine: the Control Service is a stub on 127.0.0.1 that this script
// starts and stops, and every process it starts is waited for or killed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as prettier from 'prettier';
import { decide } from '../src/decision.js';
import { toExecutions } from '../src/executions.js';
import {
  actionEntryPoint,
  createRunDirectories,
  nodeBinaries,
  parseOutputFile,
  removeRunDirectories,
  repositoryRoot,
  runnerEnvironment,
  runnerNodeMajor,
  type NodeBinary,
  type RunDirectories
} from '../__tests__/support/run-action.js';
import { JOB_NAME, TEAM } from '../__tests__/support/scenario.js';
import {
  createTestCertificates,
  removeTestCertificates,
  type TestCertificates
} from '../__tests__/support/test-ca.js';
import {
  buildExecution,
  jsonResponse,
  StandInControlService,
  type CannedResponse,
  type RecordedRequest,
  type ServiceExecution
} from '../__tests__/support/stand-in-control-service.js';

// Rounds: enough for stable medians of ~100 ms processes on two cores,
// while the whole bench stays around a minute.
const WARM_UP_ROUNDS = 5;
const MEASURED_ROUNDS = 30;
const DIAGNOSTIC_WARM_UP_ROUNDS = 3;
const DIAGNOSTIC_ROUNDS = 15;
const RSS_RUNS = 5;
const LONG_LIST_LENGTH = 20_000;
const LONG_LIST_WARM_UP_ROUNDS = 1;
const LONG_LIST_ROUNDS = 5;
const IN_PROCESS_WARM_UP_RUNS = 2;
const IN_PROCESS_RUNS = 9;
const WAIT_TIMEOUT_SECONDS = 6;
const POLL_INTERVAL_SECONDS = 1;
// A safety net for a hung child, far above any run measured here.
const KILL_AFTER_MS = 60_000;

const TARGET = {
  ratioToBareNode: 1.5,
  peakRssMiB: 55,
  bundleKiB: 500,
  longListMs: 1000
} as const;

const LONG_JOB = `${JOB_NAME}-long`;
const WAITING_JOB = `${JOB_NAME}-waiting`;
const TOKEN_PATH = '/oauth/token';
const API_TOKEN = 'bench-api-token';
const ACCESS_TOKEN = 'bench-access-token';
const POD_SUFFIX = '-x7k2p';
const GNU_TIME = '/usr/bin/time';
/**
 * Built-ins the published @actions packages load on every run and the
 * bundles defer (https, tls: see stand-ins/tunnel.cjs and patches/) or
 * leave out (child_process: stand-ins/actions-exec.js).
 */
const DEFERRED_BUILTINS = ['https', 'tls', 'child_process'];
const BENCHMARKS_FILE = path.join(repositoryRoot, 'BENCHMARKS.md');
const NCC_CLI = path.join(
  repositoryRoot,
  'node_modules',
  '@vercel',
  'ncc',
  'dist',
  'ncc',
  'cli.js'
);

// ---------------------------------------------------------------- helpers

interface Stats {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  count: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - below);
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    count: sorted.length
  };
}

const percent = (share: number): string => `${Math.round(share * 100)} %`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
const ratio = (value: number): string => `${value.toFixed(2)}×`;
const mark = (passed: boolean): string => (passed ? 'pass' : 'MISS');

function textTable(headers: readonly string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length))
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line)
  ].join('\n');
}

function markdownTable(headers: readonly string[], rows: string[][]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    line(headers),
    line(headers.map(() => '---')),
    ...rows.map(line)
  ].join('\n');
}

/** Printed now, and kept for BENCHMARKS.md. */
class Report {
  private readonly parts: string[] = [];

  heading(title: string): void {
    console.log(`\n== ${title} ==`);
    this.parts.push(`## ${title}`);
  }

  text(paragraph: string): void {
    console.log(paragraph);
    this.parts.push(paragraph);
  }

  table(headers: readonly string[], rows: string[][]): void {
    console.log(textTable(headers, rows));
    this.parts.push(markdownTable(headers, rows));
  }

  /** Only in BENCHMARKS.md: explanations the terminal does not need. */
  note(paragraph: string): void {
    this.parts.push(paragraph);
  }

  markdown(): string {
    return this.parts.join('\n\n');
  }
}

// -------------------------------------------------------------- processes

/** One command as the bench starts it. */
interface ProcessSpec {
  label: string;
  node: NodeBinary;
  /** Arguments after the node binary. */
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

const running = new Set<ChildProcess>();

/**
 * Starts the command, drains its output as the runner does, and resolves
 * with the wall time from spawn to the close of its output. A non-zero
 * exit is an error: a failing run would be timed on another path.
 */
async function timedCommand(
  label: string,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string
): Promise<number> {
  const startedAt = performance.now();
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  running.add(child);
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4000) stderr += text;
  });
  const safetyNet = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  try {
    const [code, signal] = await new Promise<
      [number | null, NodeJS.Signals | null]
    >((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) =>
        resolve([exitCode, exitSignal])
      );
    });
    const elapsed = performance.now() - startedAt;
    if (code !== 0) {
      throw new Error(
        `${label} ended with ${code === null ? String(signal) : `exit code ${code}`}: ${stderr.trim()}`
      );
    }
    return elapsed;
  } finally {
    clearTimeout(safetyNet);
    running.delete(child);
  }
}

/** One run of the spec, optionally under a wrapper such as GNU time. */
function timedRun(
  spec: ProcessSpec,
  options: {
    wrapper?: string[];
    nodeOptions?: string[];
    env?: Record<string, string>;
  } = {}
): Promise<number> {
  const [command = spec.node.path, ...wrapperArgs] = options.wrapper ?? [];
  const nodeArgs = [...(options.nodeOptions ?? []), ...spec.args];
  return timedCommand(
    `${spec.label} (${spec.node.label})`,
    command,
    options.wrapper === undefined
      ? nodeArgs
      : [...wrapperArgs, spec.node.path, ...nodeArgs],
    { ...spec.env, ...(options.env ?? {}) },
    spec.cwd
  );
}

/**
 * Runs every spec once per round, each round starting with the next spec,
 * so that slow drifts of the machine hit all of them alike and none always
 * runs right after the same other one. Warm-up rounds fill the page cache
 * and are not kept.
 */
async function alternate(
  specs: readonly ProcessSpec[],
  warmUpRounds: number,
  measuredRounds: number
): Promise<number[][]> {
  const samples: number[][] = specs.map(() => []);
  for (let round = 0; round < warmUpRounds + measuredRounds; round++) {
    for (let step = 0; step < specs.length; step++) {
      const index = (round + step) % specs.length;
      const spec = specs[index];
      if (spec === undefined) continue;
      const elapsed = await timedRun(spec);
      if (round >= warmUpRounds) samples[index]?.push(elapsed);
    }
  }
  return samples;
}

type RssMethod =
  { kind: 'gnu-time' } | { kind: 'preload'; preloadFile: string };

function describeRssMethod(method: RssMethod): string {
  return method.kind === 'gnu-time'
    ? `GNU time (\`${GNU_TIME} -f %M\`): the maximum resident set size of the node process as the kernel accounts it (getrusage of the waited child), in KiB`
    : `\`${GNU_TIME}\` (GNU time, Debian package \`time\`) is not installed here, so a preload (\`node --require\`) writes \`process.resourceUsage().maxRSS\` when the process exits; it is the same kernel figure, but the preload itself adds a little`;
}

/** GNU time when it works here; BusyBox's time has no -o, for one. */
async function chooseRssMethod(scratch: string): Promise<RssMethod> {
  const probe = path.join(scratch, 'time-probe.txt');
  if (existsSync(GNU_TIME)) {
    try {
      execFileSync(
        GNU_TIME,
        ['-f', '%M', '-o', probe, process.execPath, '-e', '0'],
        { stdio: 'ignore' }
      );
      if (/^\d+\s*$/.test(readFileSync(probe, 'utf8'))) {
        return { kind: 'gnu-time' };
      }
    } catch {
      // Not GNU time, or not runnable: the preload below measures instead.
    }
  }
  const preloadFile = path.join(scratch, 'report-max-rss.cjs');
  await fs.writeFile(
    preloadFile,
    [
      "'use strict';",
      "process.on('exit', () => {",
      "  require('node:fs').writeFileSync(process.env.BENCH_MAX_RSS_FILE, String(process.resourceUsage().maxRSS));",
      '});',
      ''
    ].join('\n')
  );
  return { kind: 'preload', preloadFile };
}

/** Peak RSS in KiB of `runs` runs, one after another. */
async function peakRss(
  spec: ProcessSpec,
  method: RssMethod,
  scratch: string,
  runs: number
): Promise<number[]> {
  const file = path.join(scratch, 'max-rss.txt');
  const results: number[] = [];
  for (let run = 0; run < runs; run++) {
    await fs.rm(file, { force: true });
    if (method.kind === 'gnu-time') {
      await timedRun(spec, { wrapper: [GNU_TIME, '-f', '%M', '-o', file] });
    } else {
      await timedRun(spec, {
        nodeOptions: ['--require', method.preloadFile],
        env: { BENCH_MAX_RSS_FILE: file }
      });
    }
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
    const kib = Number(lines[lines.length - 1]);
    if (!Number.isFinite(kib) || kib <= 0) {
      throw new Error(`No peak RSS for ${spec.label}: ${lines.join(' / ')}`);
    }
    results.push(kib);
  }
  return results;
}

// ---------------------------------------------------------------- service

function executionsPath(jobName: string): string {
  return `/data-jobs/for-team/${TEAM}/jobs/${jobName}/executions`;
}

function listAnswer(body: string): CannedResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

/** The bench's stub: fixed lists by job, and a token endpoint. */
function stubHandler(
  bodies: ReadonlyMap<string, string>
): (request: RecordedRequest) => CannedResponse {
  return (request) => {
    const requestPath = request.rawUrl.split('?')[0] ?? '';
    if (request.method === 'POST' && requestPath === TOKEN_PATH) {
      return jsonResponse({
        access_token: ACCESS_TOKEN,
        token_type: 'bearer',
        expires_in: 1800
      });
    }
    const body = bodies.get(requestPath);
    if (request.method === 'GET' && body !== undefined) return listAnswer(body);
    return jsonResponse(
      {
        what: 'Not found.',
        why: `The bench stub has no ${request.method} ${requestPath}.`
      },
      404
    );
  };
}

const NOW_MS = Date.now();

function epochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** This run as the service lists it, started a moment ago, and an old one. */
function typicalList(): { list: ServiceExecution[]; thisRunId: string } {
  const thisRun = buildExecution({
    id: `${JOB_NAME}-${epochSeconds(NOW_MS)}`,
    job_name: JOB_NAME,
    status: 'running',
    start_time: new Date(NOW_MS - 2000).toISOString()
  });
  // Finished: a stale answer's leftovers, which the action filters out.
  const finished = buildExecution({
    id: `${JOB_NAME}-${epochSeconds(NOW_MS - 3_600_000)}`,
    job_name: JOB_NAME,
    status: 'succeeded',
    start_time: new Date(NOW_MS - 3_600_000).toISOString()
  });
  return { list: [thisRun, finished], thisRunId: `${thisRun.id}${POD_SUFFIX}` };
}

/** The start time in one of the shapes the service or a proxy may send. */
function startTimeText(epochMs: number, variant: number): string {
  const iso = new Date(epochMs).toISOString();
  switch (variant % 4) {
    case 0:
      return iso;
    case 1:
      // Java's microseconds: ".123Z" becomes ".123456Z".
      return iso.replace(/Z$/, '456Z');
    case 2: {
      const shifted = new Date(epochMs + 2 * 3_600_000).toISOString();
      return `${shifted.replace(/Z$/, '')}+02:00`;
    }
    default:
      // No offset, which the action reads as UTC.
      return iso.replace(/Z$/, '');
  }
}

/**
 * `count` active executions of LONG_JOB in a shuffled order, start times
 * in mixed shapes, and this run in the middle of them by start time, so
 * that the older half blocks it.
 */
function longList(count: number): {
  list: ServiceExecution[];
  thisRunId: string;
} {
  const firstStart = NOW_MS - count * 1000;
  const list: ServiceExecution[] = [];
  for (let index = 0; index < count; index++) {
    const startMs = firstStart + index * 1000;
    list.push(
      buildExecution({
        id: `${LONG_JOB}-${epochSeconds(startMs)}`,
        job_name: LONG_JOB,
        status: index % 3 === 0 ? 'submitted' : 'running',
        start_time: startTimeText(startMs, index)
      })
    );
  }
  const thisRun = list[Math.floor(count / 2)];
  // A fixed shuffle (a linear congruential generator), the same every run,
  // so that sorting does real work and results compare between runs.
  let seed = 20_000;
  for (let index = list.length - 1; index > 0; index--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = seed % (index + 1);
    const moved = list[index];
    const swapped = list[other];
    if (moved === undefined || swapped === undefined) continue;
    list[index] = swapped;
    list[other] = moved;
  }
  return { list, thisRunId: `${thisRun?.id ?? ''}${POD_SUFFIX}` };
}

/** An execution older than this run that stays running: wait mode waits. */
function waitingList(): { list: ServiceExecution[]; thisRunId: string } {
  const older = buildExecution({
    id: `${WAITING_JOB}-${epochSeconds(NOW_MS - 600_000)}`,
    job_name: WAITING_JOB,
    status: 'running',
    start_time: new Date(NOW_MS - 600_000).toISOString()
  });
  const thisRun = buildExecution({
    id: `${WAITING_JOB}-${epochSeconds(NOW_MS)}`,
    job_name: WAITING_JOB,
    status: 'submitted',
    start_time: new Date(NOW_MS).toISOString()
  });
  return {
    list: [thisRun, older],
    thisRunId: `${thisRun.id}${POD_SUFFIX}`
  };
}

// ------------------------------------------------------------------ specs

function actionSpec(
  label: string,
  node: NodeBinary,
  entry: string,
  directories: RunDirectories,
  inputs: Record<string, string>
): ProcessSpec {
  return {
    label,
    node,
    args: [entry],
    env: runnerEnvironment({ node, inputs }, directories),
    cwd: directories.workspace
  };
}

/** Runs the spec once with fresh output files and returns its outputs. */
async function outputsOf(spec: ProcessSpec): Promise<Record<string, string>> {
  const directories = await createRunDirectories();
  await timedRun(spec, {
    env: {
      GITHUB_OUTPUT: directories.outputFile,
      GITHUB_STEP_SUMMARY: directories.stepSummaryFile,
      RUNNER_TEMP: directories.runnerTemp
    }
  });
  return parseOutputFile(await fs.readFile(directories.outputFile, 'utf8'));
}

function requireOutputs(
  label: string,
  outputs: Record<string, string>,
  expected: Record<string, string>
): void {
  for (const [name, value] of Object.entries(expected)) {
    if (outputs[name] !== value) {
      throw new Error(
        `${label}: output ${name} is ${JSON.stringify(outputs[name])}, expected ${JSON.stringify(value)}; all outputs: ${JSON.stringify(outputs)}`
      );
    }
  }
}

// ------------------------------------------------------------- bundles

/** This process's environment without unset entries, for the build tool. */
function definedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * Bundles `entry` with ncc as `npm run bundle` does, from the repository's
 * folder so that its tsconfig.json (and so the stand-ins) applies, and
 * returns the file.
 */
async function nccBuild(entry: string, outDir: string): Promise<string> {
  await timedCommand(
    `ncc build ${entry}`,
    process.execPath,
    [NCC_CLI, 'build', entry, '--out', outDir, '--minify'],
    definedEnvironment(),
    repositoryRoot
  );
  const built = (await fs.readdir(outDir)).find((name) =>
    /^index\.m?js$/.test(name)
  );
  if (built === undefined) throw new Error(`ncc wrote no bundle to ${outDir}`);
  return path.join(outDir, built);
}

interface ImportOnly {
  label: string;
  bundle: string;
}

/** An absolute path to `specifier`, for entries outside the repository. */
function resolvedFile(specifier: string): string {
  return fileURLToPath(import.meta.resolve(specifier));
}

/**
 * Bundles that only load one dependency, to time and weigh it alone. They
 * are built with this repository's tsconfig.json and node_modules, so the
 * stand-ins and the patch of @actions/http-client apply as in the action.
 */
async function importOnlyBundles(scratch: string): Promise<ImportOnly[]> {
  const modules = [
    {
      label: 'import @actions/http-client',
      specifier: '@actions/http-client',
      use: 'HttpClient'
    },
    {
      label: 'import @actions/core',
      specifier: '@actions/core',
      use: 'getInput'
    }
  ];
  const built: ImportOnly[] = [];
  for (const [index, module] of modules.entries()) {
    const folder = path.join(scratch, `import-only-${index}`);
    await fs.mkdir(folder, { recursive: true });
    const entry = path.join(folder, 'entry.mjs');
    // The export is touched so that nothing can be left out as unused.
    await fs.writeFile(
      entry,
      [
        `import { ${module.use} } from ${JSON.stringify(resolvedFile(module.specifier))};`,
        `if (typeof ${module.use} !== 'function') throw new Error('${module.use} is missing');`,
        ''
      ].join('\n')
    );
    built.push({
      label: module.label,
      bundle: await nccBuild(entry, path.join(folder, 'out'))
    });
  }
  return built;
}

/**
 * The least an action built on @actions/core and @actions/http-client can
 * do: one GET with HttpClient and one output with core.setOutput, bundled
 * as the action is. It shows what the two packages cost before any of the
 * action's own work.
 */
async function libraryFloorBundle(scratch: string): Promise<string> {
  const folder = path.join(scratch, 'library-floor');
  await fs.mkdir(folder, { recursive: true });
  const entry = path.join(folder, 'entry.mjs');
  await fs.writeFile(
    entry,
    [
      `import * as core from ${JSON.stringify(resolvedFile('@actions/core'))};`,
      `import { HttpClient } from ${JSON.stringify(resolvedFile('@actions/http-client'))};`,
      "const client = new HttpClient('vdk-execution-skip-bench');",
      'const response = await client.get(process.env.BENCH_FLOOR_URL);',
      'const body = await response.readBody();',
      "core.setOutput('answer-length', String(body.length));",
      'process.exit();',
      ''
    ].join('\n')
  );
  return nccBuild(entry, path.join(folder, 'out'));
}

// ------------------------------------------------------------ the machine

function nodeVersion(binary: NodeBinary): string {
  return execFileSync(binary.path, ['--version'], {
    encoding: 'utf8',
    env: {}
  }).trim();
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model) return model;
  } catch {
    // Not Linux: os.cpus() names the model too.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** CPU time of the whole machine so far, all cores, in milliseconds. */
interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/**
 * The share of the machine's CPU time that was busy between two readings,
 * whoever used it: other processes on the machine slow the runs down.
 */
function busyShare(from: CpuTimes, to: CpuTimes): number {
  const total = to.total - from.total;
  return total > 0 ? (to.busy - from.busy) / total : 0;
}

/**
 * The public built-in modules a run of `spec` loads, as Node lists them in
 * `process.moduleLoadList` when the process exits (through a preload).
 */
async function builtinsLoaded(
  spec: ProcessSpec,
  scratch: string
): Promise<string[]> {
  const probe = path.join(scratch, 'built-ins-probe.mjs');
  const listFile = path.join(scratch, 'built-ins-loaded.json');
  await fs.writeFile(
    probe,
    [
      "import { writeFileSync } from 'node:fs';",
      "process.on('exit', () => {",
      `  writeFileSync(${JSON.stringify(listFile)}, JSON.stringify(process.moduleLoadList));`,
      '});',
      ''
    ].join('\n')
  );
  await timedRun(spec, {
    nodeOptions: ['--import', pathToFileURL(probe).href]
  });
  const loaded: unknown = JSON.parse(await fs.readFile(listFile, 'utf8'));
  if (!Array.isArray(loaded)) throw new Error('The probe wrote no list.');
  const names = new Set<string>();
  for (const entry of loaded) {
    const name = String(entry).replace(/^NativeModule /, '');
    // Underscored modules (_http_agent…) come with their public parent.
    if (builtinModules.includes(name) && !name.startsWith('_')) {
      names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * This machine's node and the runner's Node 24; only the one running this
 * script when the machine's node is itself the runner's major version.
 */
function benchNodes(): NodeBinary[] {
  try {
    return nodeBinaries();
  } catch (thrown) {
    console.log(
      `Only this process's node is measured: ${thrown instanceof Error ? thrown.message : String(thrown)}`
    );
    const major = Number(process.versions.node.split('.')[0]);
    return [
      {
        label: `node ${major} (this process)`,
        path: process.execPath,
        majorVersion: major
      }
    ];
  }
}

// --------------------------------------------------------------- sections

interface NodeResults {
  node: NodeBinary;
  bare: Stats;
  floor: Stats;
  libraryFloor: Stats;
  action: Stats;
  /** The action against the same list over https, from a private CA. */
  actionOverHttps: Stats;
  bareRss: Stats;
  floorRss: Stats;
  libraryFloorRss: Stats;
  actionRss: Stats;
  actionOverHttpsRss: Stats;
  longListAction: Stats;
  typicalActionForLongList: Stats;
  diagnostics: { label: string; time: Stats; rss: Stats }[];
  /** Public built-in modules a plain-http run of the action loads. */
  builtinNames: string[];
  /** Whole-machine CPU busy share during the start-up rounds. */
  machineBusy: number;
}

interface InProcessResult {
  parse: Stats;
  read: Stats;
  decide: Stats;
  total: Stats;
  skip: boolean;
  active: number;
}

/** JSON.parse, toExecutions and decide on the long list, in this process. */
function decideInProcess(body: string, thisRunId: string): InProcessResult {
  const samples: Record<'parse' | 'read' | 'decide' | 'total', number[]> = {
    parse: [],
    read: [],
    decide: [],
    total: []
  };
  let skip = false;
  let active = 0;
  for (let run = 0; run < IN_PROCESS_WARM_UP_RUNS + IN_PROCESS_RUNS; run++) {
    const started = performance.now();
    const parsed: unknown = JSON.parse(body);
    const parsedAt = performance.now();
    if (!Array.isArray(parsed)) throw new Error('The long list is no array.');
    const executions = toExecutions(parsed);
    const readAt = performance.now();
    const decision = decide(executions, thisRunId);
    const decidedAt = performance.now();
    skip = decision.skip;
    active = decision.active.length;
    if (run < IN_PROCESS_WARM_UP_RUNS) continue;
    samples.parse.push(parsedAt - started);
    samples.read.push(readAt - parsedAt);
    samples.decide.push(decidedAt - readAt);
    samples.total.push(decidedAt - started);
  }
  return {
    parse: stats(samples.parse),
    read: stats(samples.read),
    decide: stats(samples.decide),
    total: stats(samples.total),
    skip,
    active
  };
}

interface RequestCounts {
  plain: number;
  login: number;
  loginBearerSent: boolean;
  disabled: number;
}

async function countRequests(
  service: StandInControlService,
  node: NodeBinary,
  inputs: Record<string, string>
): Promise<RecordedRequest[]> {
  const directories = await createRunDirectories();
  const before = service.requests.length;
  const spec = actionSpec(
    'request count',
    node,
    actionEntryPoint,
    directories,
    inputs
  );
  const outputs = await outputsOf(spec);
  requireOutputs('request count', outputs, { skipped: 'false' });
  return service.requests.slice(before);
}

interface WaitResult {
  requests: number;
  spanSeconds: number;
  perMinute: number;
  elapsedSeconds: number;
}

async function waitMode(
  service: StandInControlService,
  node: NodeBinary,
  inputs: Record<string, string>
): Promise<WaitResult> {
  const directories = await createRunDirectories();
  const spec = actionSpec(
    'wait mode',
    node,
    actionEntryPoint,
    directories,
    inputs
  );
  const before = service.requests.length;
  const elapsedMs = await timedRun(spec);
  const outputs = parseOutputFile(
    await fs.readFile(directories.outputFile, 'utf8')
  );
  requireOutputs('wait mode', outputs, {
    skipped: 'true',
    reason: 'other-execution-running'
  });
  const requests = service.requests.slice(before);
  const first = requests[0]?.receivedAtMs ?? 0;
  const last = requests[requests.length - 1]?.receivedAtMs ?? 0;
  const spanSeconds = (last - first) / 1000;
  return {
    requests: requests.length,
    spanSeconds,
    // Intervals over the time they span: counting the requests themselves
    // would add the first one, which no interval precedes.
    perMinute: spanSeconds > 0 ? ((requests.length - 1) / spanSeconds) * 60 : 0,
    elapsedSeconds: elapsedMs / 1000
  };
}

// ------------------------------------------------------------------- main

async function main(): Promise<void> {
  const benchStartedAt = performance.now();
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'vdk-skip-bench-'));
  const typical = typicalList();
  const long = longList(LONG_LIST_LENGTH);
  const waiting = waitingList();
  const longBody = JSON.stringify(long.list);
  const service = await StandInControlService.start({
    handler: stubHandler(
      new Map([
        [executionsPath(JOB_NAME), JSON.stringify(typical.list)],
        [executionsPath(LONG_JOB), longBody],
        [executionsPath(WAITING_JOB), JSON.stringify(waiting.list)]
      ])
    )
  });
  // The same typical list over https, with a certificate from a test CA
  // that only the action's NODE_EXTRA_CA_CERTS trusts.
  const certificates = await createTestCertificates('localhost');
  const httpsService = await StandInControlService.start({
    handler: stubHandler(
      new Map([[executionsPath(JOB_NAME), JSON.stringify(typical.list)]])
    ),
    tls: {
      key: certificates.serverKeyPem,
      cert: certificates.serverCertificatePem
    }
  });
  try {
    await runBench(
      scratch,
      service,
      { service: httpsService, certificates },
      typical,
      long,
      longBody,
      waiting
    );
  } finally {
    for (const child of running) child.kill('SIGKILL');
    await service.close();
    await httpsService.close();
    await removeTestCertificates(certificates);
    await removeRunDirectories();
    await fs.rm(scratch, { recursive: true, force: true });
  }
  console.log(
    `\nBench took ${((performance.now() - benchStartedAt) / 1000).toFixed(0)} s; stub stopped, temporary files removed.`
  );
}

async function runBench(
  scratch: string,
  service: StandInControlService,
  secure: { service: StandInControlService; certificates: TestCertificates },
  typical: { thisRunId: string },
  long: { thisRunId: string },
  longBody: string,
  waiting: { thisRunId: string }
): Promise<void> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const nodes = benchNodes();
  const rssMethod = await chooseRssMethod(scratch);
  const typicalInputs = {
    'job-name': JOB_NAME,
    team: TEAM,
    'api-url': service.baseUrl,
    'execution-id': typical.thisRunId
  };
  const longInputs = {
    ...typicalInputs,
    'job-name': LONG_JOB,
    'execution-id': long.thisRunId
  };
  const floorFile = path.join(scratch, 'floor.mjs');
  await fs.writeFile(
    floorFile,
    [
      '// The least the action must do: one GET, one output line, exit.',
      '// Built-ins come through require, as in the ncc bundle: under Node 24',
      '// an ES import of node:http evaluates its lazy WebSocket getters, which',
      "// load Node's own undici and cost about 20 ms.",
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "const http = require('node:http');",
      "const { appendFileSync } = require('node:fs');",
      'http.get(process.env.BENCH_FLOOR_URL, (response) => {',
      "  let body = '';",
      "  response.setEncoding('utf8');",
      "  response.on('data', (text) => { body += text; });",
      "  response.on('end', () => {",
      '    appendFileSync(process.env.GITHUB_OUTPUT, `answer-length=${body.length}\\n`);',
      '    process.exit();',
      '  });',
      '});',
      ''
    ].join('\n')
  );
  const floorUrl = `${service.baseUrl}${executionsPath(JOB_NAME)}?execution_status=submitted&execution_status=running`;

  console.log('Building the import-only bundles and the library floor…');
  const importOnly = await importOnlyBundles(scratch);
  const libraryFloorFile = await libraryFloorBundle(scratch);

  const results: NodeResults[] = [];
  for (const node of nodes) {
    console.log(`Timing under ${node.label}…`);
    const directories = await createRunDirectories();
    const action = actionSpec(
      'action',
      node,
      actionEntryPoint,
      directories,
      typicalInputs
    );
    const bare: ProcessSpec = {
      ...action,
      label: 'bare node',
      args: ['-e', '0']
    };
    const floor: ProcessSpec = {
      ...action,
      label: 'floor',
      args: [floorFile],
      env: { ...action.env, BENCH_FLOOR_URL: floorUrl }
    };
    const libraryFloor: ProcessSpec = {
      ...floor,
      label: 'library floor',
      args: [libraryFloorFile]
    };
    const httpsSpec = actionSpec(
      'action, https',
      node,
      actionEntryPoint,
      directories,
      {
        ...typicalInputs,
        'api-url': secure.service.baseUrl
      }
    );
    const actionOverHttps: ProcessSpec = {
      ...httpsSpec,
      env: {
        ...httpsSpec.env,
        NODE_EXTRA_CA_CERTS: secure.certificates.caCertificatePath
      }
    };
    // Each command does its work before it is timed.
    for (const spec of [action, actionOverHttps]) {
      requireOutputs(spec.label, await outputsOf(spec), {
        skipped: 'false',
        reason: 'no-other-execution'
      });
    }
    for (const spec of [floor, libraryFloor]) {
      const length = (await outputsOf(spec))['answer-length'];
      if (length === undefined || !(Number(length) > 0)) {
        throw new Error(`${spec.label} read no answer (${String(length)}).`);
      }
    }
    const timesBefore = cpuTimes();
    const [
      bareTimes,
      floorTimes,
      libraryFloorTimes,
      actionTimes,
      actionOverHttpsTimes
    ] = await alternate(
      [bare, floor, libraryFloor, action, actionOverHttps],
      WARM_UP_ROUNDS,
      MEASURED_ROUNDS
    );
    const machineBusy = busyShare(timesBefore, cpuTimes());
    const importSpecs = importOnly.map((module): ProcessSpec => ({
      ...action,
      label: module.label,
      args: [module.bundle]
    }));
    const builtinNames = await builtinsLoaded(action, scratch);
    const requireAll = (names: readonly string[]): string[] => [
      '-e',
      `for (const name of ${JSON.stringify(names)}) require('node:' + name);`
    ];
    const builtins: ProcessSpec = {
      ...action,
      label: `require the ${builtinNames.length} built-ins the action loads`,
      args: requireAll(builtinNames)
    };
    const withDeferred: ProcessSpec = {
      ...action,
      label: `… and ${DEFERRED_BUILTINS.join(', ')} as well`,
      args: requireAll([...builtinNames, ...DEFERRED_BUILTINS])
    };
    const diagnosticSpecs = [
      bare,
      builtins,
      withDeferred,
      ...importSpecs,
      libraryFloor,
      action
    ];
    const diagnosticTimes = await alternate(
      diagnosticSpecs,
      DIAGNOSTIC_WARM_UP_ROUNDS,
      DIAGNOSTIC_ROUNDS
    );
    const diagnostics: NodeResults['diagnostics'] = [];
    for (const [index, spec] of diagnosticSpecs.entries()) {
      diagnostics.push({
        label: spec.label,
        time: stats(diagnosticTimes[index] ?? []),
        rss: stats(await peakRss(spec, rssMethod, scratch, 3))
      });
    }
    const longAction = actionSpec(
      'action, 20,000 executions',
      node,
      actionEntryPoint,
      directories,
      longInputs
    );
    requireOutputs(longAction.label, await outputsOf(longAction), {
      skipped: 'true',
      reason: 'other-execution-running'
    });
    const [typicalForLong, longTimes] = await alternate(
      [action, longAction],
      LONG_LIST_WARM_UP_ROUNDS,
      LONG_LIST_ROUNDS
    );
    results.push({
      node,
      bare: stats(bareTimes ?? []),
      floor: stats(floorTimes ?? []),
      libraryFloor: stats(libraryFloorTimes ?? []),
      action: stats(actionTimes ?? []),
      actionOverHttps: stats(actionOverHttpsTimes ?? []),
      bareRss: stats(await peakRss(bare, rssMethod, scratch, RSS_RUNS)),
      floorRss: stats(await peakRss(floor, rssMethod, scratch, RSS_RUNS)),
      libraryFloorRss: stats(
        await peakRss(libraryFloor, rssMethod, scratch, RSS_RUNS)
      ),
      actionRss: stats(await peakRss(action, rssMethod, scratch, RSS_RUNS)),
      actionOverHttpsRss: stats(
        await peakRss(actionOverHttps, rssMethod, scratch, RSS_RUNS)
      ),
      longListAction: stats(longTimes ?? []),
      typicalActionForLongList: stats(typicalForLong ?? []),
      diagnostics,
      builtinNames,
      machineBusy
    });
  }

  console.log('Deciding on 20,000 executions in this process…');
  const inProcess = decideInProcess(longBody, long.thisRunId);

  const runner =
    nodes.find((node) => node.majorVersion === runnerNodeMajor()) ??
    nodes[nodes.length - 1];
  if (runner === undefined) throw new Error('No node to run the action.');
  console.log('Counting requests…');
  const plainRequests = await countRequests(service, runner, typicalInputs);
  const loginRequests = await countRequests(service, runner, {
    ...typicalInputs,
    'api-token': API_TOKEN,
    'api-token-authorization-url': `${service.baseUrl}${TOKEN_PATH}`
  });
  const disabledDirectories = await createRunDirectories();
  const disabledBefore = service.requests.length;
  requireOutputs(
    'disabled',
    await outputsOf(
      actionSpec('disabled', runner, actionEntryPoint, disabledDirectories, {
        ...typicalInputs,
        enabled: 'false'
      })
    ),
    { skipped: 'false', reason: 'check-disabled' }
  );
  const counts: RequestCounts = {
    plain: plainRequests.length,
    login: loginRequests.length,
    loginBearerSent: loginRequests.some(
      (request) =>
        request.method === 'GET' &&
        request.headers['authorization'] === `Bearer ${ACCESS_TOKEN}`
    ),
    disabled: service.requests.length - disabledBefore
  };
  console.log(
    `Wait mode: ${WAIT_TIMEOUT_SECONDS} s, a question every ${POLL_INTERVAL_SECONDS} s…`
  );
  const waited = await waitMode(service, runner, {
    ...typicalInputs,
    'job-name': WAITING_JOB,
    'execution-id': waiting.thisRunId,
    'wait-timeout-seconds': String(WAIT_TIMEOUT_SECONDS),
    'poll-interval-seconds': String(POLL_INTERVAL_SECONDS)
  });

  const bundleBytes = statSync(actionEntryPoint).size;
  const bundleGzipBytes = gzipSync(readFileSync(actionEntryPoint)).length;
  const sizes = [
    ...importOnly.map((module) => ({
      label: module.label,
      bytes: statSync(module.bundle).size
    })),
    { label: 'library floor', bytes: statSync(libraryFloorFile).size }
  ];

  await writeReport({
    nodes,
    runner,
    rssMethod,
    results,
    inProcess,
    counts,
    waited,
    bundleBytes,
    bundleGzipBytes,
    sizes,
    longBodyBytes: Buffer.byteLength(longBody),
    loadBefore
  });
}

// ----------------------------------------------------------------- report

interface ReportInput {
  nodes: NodeBinary[];
  runner: NodeBinary;
  rssMethod: RssMethod;
  results: NodeResults[];
  inProcess: InProcessResult;
  counts: RequestCounts;
  waited: WaitResult;
  bundleBytes: number;
  bundleGzipBytes: number;
  sizes: { label: string; bytes: number }[];
  longBodyBytes: number;
  /** One-minute load average when the bench started. */
  loadBefore: number;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function spread(value: Stats): string {
  return `${value.p25.toFixed(1)}–${value.p75.toFixed(1)}`;
}

async function writeReport(input: ReportInput): Promise<void> {
  const { results, inProcess, counts, waited, runner } = input;
  const report = new Report();
  const versions = input.nodes.map(
    (node) => `${node.label}: ${nodeVersion(node)}`
  );
  const machine = [
    `CPU: ${cpuModel()}, ${os.cpus().length} logical cores`,
    `memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `OS: ${os.type()} ${os.release()}`,
    ...versions,
    `load average (1 min): ${input.loadBefore.toFixed(2)} when the bench started, ${(os.loadavg()[0] ?? 0).toFixed(2)} when it ended`,
    `date: ${new Date().toISOString()}`
  ];

  const targets: string[][] = [];
  for (const result of results) {
    const actionRatio = result.action.median / result.bare.median;
    targets.push([
      `action ≤ ${TARGET.ratioToBareNode}× bare node`,
      result.node.label,
      ratio(actionRatio),
      mark(actionRatio <= TARGET.ratioToBareNode)
    ]);
  }
  for (const result of results) {
    targets.push([
      `peak RSS ≤ ${TARGET.peakRssMiB} MiB`,
      result.node.label,
      mib(result.actionRss.median),
      mark(result.actionRss.median / 1024 <= TARGET.peakRssMiB)
    ]);
  }
  targets.push([
    `bundle ≤ ${TARGET.bundleKiB} KiB`,
    'dist/index.js',
    kib(input.bundleBytes),
    mark(input.bundleBytes / 1024 <= TARGET.bundleKiB)
  ]);
  targets.push([
    `20,000 executions decided ≤ ${TARGET.longListMs} ms`,
    `in process, node ${process.versions.node}`,
    ms(inProcess.total.median),
    mark(inProcess.total.median <= TARGET.longListMs)
  ]);
  for (const result of results) {
    targets.push([
      `20,000 executions, whole process ≤ ${TARGET.longListMs} ms`,
      result.node.label,
      ms(result.longListAction.median),
      mark(result.longListAction.median <= TARGET.longListMs)
    ]);
  }

  const heading = '# Benchmarks';
  const intro = [
    'Written by `npm run bench` (`scripts/bench.ts`); run it again to refresh. The numbers hold for this machine only: compare ratios, not milliseconds, with other machines.',
    machine.map((line) => `- ${line}`).join('\n')
  ];
  console.log(`\n${heading}\n`);
  for (const paragraph of intro) console.log(paragraph);

  report.heading('Targets');
  report.note(
    `The runner starts the action with Node ${runnerNodeMajor()} (\`runs.using\` in action.yml): its rows are the ones that count on GitHub. "Whole process" rows include Node's start-up, the request and the answer's transfer.`
  );
  report.table(['target', 'where', 'measured', 'result'], targets);

  report.heading('Start-up: whole processes');
  report.note(
    `Each round runs bare \`node -e 0\`, the floor, the library floor, the action and the action over https once, in turn, each round starting with the next one; ${WARM_UP_ROUNDS} warm-up rounds are dropped, then the medians of ${MEASURED_ROUNDS} rounds are kept. Time runs from \`spawn\` to the close of the process's output. The floor is an ES module (as \`dist/index.js\` is) doing one GET to the stub with \`node:http\` and appending one line to \`GITHUB_OUTPUT\`: the least the action must do. It loads \`node:http\` through \`createRequire\`, as the ncc bundle loads built-ins: under Node 24 an ES \`import\` of \`node:http\` evaluates its lazy \`WebSocket\` getters, which load Node's internal undici (about +20 ms and +12 MiB here); the same holds for \`node:tls\` (\`rootCertificates\`) and \`node:crypto\` (\`webcrypto\`). The library floor is the least an action built on \`@actions/core\` and \`@actions/http-client\` (the two packages this one must use) can do: one GET with \`HttpClient\` and one \`core.setOutput\`, bundled with ncc as the action is, with the same stand-ins and patch. The environment is built from nothing, as the runner's is, so variables of this shell such as \`NODE_EXTRA_CA_CERTS\` (which makes Node 20 read a CA file at start-up) stay out. The action is \`dist/index.js\` with the environment the runner gives it (\`INPUT_*\` for every input of action.yml, defaults included, so the job summary is written), deciding to go ahead on a list of two executions. "Action, https" is the same against the same list served over https with a certificate from a test CA, which \`NODE_EXTRA_CA_CERTS\` names: it loads \`https\` and \`tls\`, which a plain-http run leaves out. The targets are judged on the plain-http rows, the case the floors measure.`
  );
  const startRows: string[][] = [];
  for (const result of results) {
    for (const [label, time, rss] of [
      ['bare node', result.bare, result.bareRss],
      ['floor', result.floor, result.floorRss],
      ['library floor', result.libraryFloor, result.libraryFloorRss],
      ['action', result.action, result.actionRss],
      ['action, https', result.actionOverHttps, result.actionOverHttpsRss]
    ] as const) {
      startRows.push([
        result.node.label,
        label,
        ms(time.median),
        spread(time),
        ratio(time.median / result.bare.median),
        ms(time.min),
        ratio(time.min / result.bare.min),
        mib(rss.median)
      ]);
    }
  }
  report.table(
    [
      'node',
      'command',
      'median',
      'p25–p75 ms',
      'ratio to bare node',
      'best',
      'ratio of bests',
      'peak RSS'
    ],
    startRows
  );
  report.note(
    `The machine's CPU was busy ${results.map((result) => `${percent(result.machineBusy)} of the time during the rounds under ${result.node.label}`).join(', and ')}. One process at a time keeps about one core busy (${percent(1 / os.cpus().length)} of ${os.cpus().length} cores); well above that, other processes competed for the CPU and the medians are inflated. Competition only ever adds time, so the best runs and their ratio ("ratio of bests") are the steadier figures on a busy machine; the targets are judged on the medians.`
  );
  report.note(
    `Peak RSS: median of ${RSS_RUNS} separate runs of each command, measured with ${describeRssMethod(input.rssMethod)}.`
  );

  report.heading('Where the time and memory go');
  report.note(
    `The built-ins row requires, and nothing else, the public built-in modules that a plain-http run of the action loaded (read from \`process.moduleLoadList\` when it exited); the next row requires ${DEFERRED_BUILTINS.join(', ')} as well, which the published packages load on every run and the bundles defer or leave out, so the difference between the two is roughly what the stand-ins and the patch save. Each import-only row is a bundle, built with ncc as \`npm run bundle\` builds the action (same stand-ins, same patch), that only loads one package and exits. These run in their own alternating rounds (${DIAGNOSTIC_WARM_UP_ROUNDS} warm-up, ${DIAGNOSTIC_ROUNDS} measured), so their bare node and action medians differ a little from the table above. Peak RSS is the median of 3 runs.`
  );
  const diagnosticRows: string[][] = [];
  for (const result of results) {
    const bareDiagnostic = result.diagnostics[0];
    for (const diagnostic of result.diagnostics) {
      const overBare =
        bareDiagnostic === undefined
          ? Number.NaN
          : diagnostic.time.median - bareDiagnostic.time.median;
      const rssOverBare =
        bareDiagnostic === undefined
          ? Number.NaN
          : diagnostic.rss.median - bareDiagnostic.rss.median;
      diagnosticRows.push([
        result.node.label,
        diagnostic.label,
        ms(diagnostic.time.median),
        `+${overBare.toFixed(1)} ms`,
        ratio(
          diagnostic.time.median / (bareDiagnostic?.time.median ?? Number.NaN)
        ),
        mib(diagnostic.rss.median),
        `+${mib(rssOverBare)}`
      ]);
    }
  }
  report.table(
    [
      'node',
      'command',
      'median',
      'over bare',
      'ratio to bare node',
      'peak RSS',
      'RSS over bare'
    ],
    diagnosticRows
  );

  report.heading('Bundle');
  report.table(
    ['bundle', 'size', 'gzip'],
    [
      [
        'dist/index.js (shipped)',
        `${input.bundleBytes} bytes, ${kib(input.bundleBytes)}`,
        kib(input.bundleGzipBytes)
      ],
      ...input.sizes.map((size) => [
        size.label,
        `${size.bytes} bytes, ${kib(size.bytes)}`,
        ''
      ])
    ]
  );
  report.note(
    'The import-only bundles overlap: @actions/core imports @actions/http-client (for its OIDC client). Undici, tunnel and @actions/exec are the stand-ins of `stand-ins/` in all of them.'
  );

  report.heading('20,000 executions');
  report.note(
    `A list of ${LONG_LIST_LENGTH.toLocaleString('en-US')} submitted and running executions (${mib(input.longBodyBytes / 1024)} of JSON), shuffled, with start times in four shapes (milliseconds, microseconds, a +02:00 offset, no offset) and this run in the middle, so that the run stands aside. In process: \`JSON.parse\`, \`toExecutions\` (src/executions.ts) and \`decide\` (src/decision.ts) under this script's node (${process.version}), median of ${IN_PROCESS_RUNS} runs after ${IN_PROCESS_WARM_UP_RUNS} warm-up runs. Whole process: \`dist/index.js\` against the stub serving that list, alternating with the typical list, median of ${LONG_LIST_ROUNDS} rounds.`
  );
  const longRows: string[][] = [
    ['in process', 'JSON.parse', ms(inProcess.parse.median)],
    ['in process', 'toExecutions', ms(inProcess.read.median)],
    ['in process', 'decide', ms(inProcess.decide.median)],
    ['in process', 'all three', ms(inProcess.total.median)]
  ];
  for (const result of results) {
    longRows.push([
      result.node.label,
      'whole process, 20,000 executions',
      ms(result.longListAction.median)
    ]);
    longRows.push([
      result.node.label,
      'whole process, typical list (same rounds)',
      ms(result.typicalActionForLongList.median)
    ]);
  }
  report.table(['where', 'what', 'median'], longRows);
  report.note(
    `In process the run ${inProcess.skip ? 'stood aside' : 'went ahead'}, with ${inProcess.active.toLocaleString('en-US')} active executions in the list.`
  );

  report.heading('Requests');
  report.note(
    `Counted at the stub, one run of \`dist/index.js\` under ${runner.label} each. Wait mode: \`wait-timeout-seconds: ${WAIT_TIMEOUT_SECONDS}\` and \`poll-interval-seconds: ${POLL_INTERVAL_SECONDS}\` against an older execution that keeps running. Requests per minute = (requests − 1) ÷ (seconds from the first request to the last) × 60, since the requests are separated by one interval fewer than their number; it should come close to 60 ÷ poll-interval-seconds = ${60 / POLL_INTERVAL_SECONDS}, a little below because each interval also holds the request itself.`
  );
  report.table(
    ['case', 'requests', 'expected'],
    [
      ['one decision', String(counts.plain), '1'],
      [
        `one decision with API-token login${counts.loginBearerSent ? ' (the access token was sent)' : ' (the access token was NOT sent)'}`,
        String(counts.login),
        '2'
      ],
      ['enabled: false', String(counts.disabled), '0'],
      [
        `wait mode, ${WAIT_TIMEOUT_SECONDS} s`,
        `${waited.requests} in ${waited.spanSeconds.toFixed(2)} s (process ${waited.elapsedSeconds.toFixed(2)} s)`,
        `about ${WAIT_TIMEOUT_SECONDS / POLL_INTERVAL_SECONDS}`
      ],
      [
        'wait mode, requests per minute',
        waited.perMinute.toFixed(1),
        `just below ${60 / POLL_INTERVAL_SECONDS}`
      ]
    ]
  );

  report.heading('Reading the results');
  report.text(results.flatMap((result) => verdictLines(result)).join('\n'));

  const markdown = [heading, ...intro, report.markdown(), ''].join('\n\n');
  const options = (await prettier.resolveConfig(BENCHMARKS_FILE)) ?? {};
  await fs.writeFile(
    BENCHMARKS_FILE,
    await prettier.format(markdown, { ...options, parser: 'markdown' })
  );
  console.log(`\nWritten to ${path.relative(process.cwd(), BENCHMARKS_FILE)}.`);
}

/** Plain sentences on one node's numbers: what misses, and why. */
function verdictLines(result: NodeResults): string[] {
  const lines: string[] = [];
  const bare = result.bare.median;
  const actionRatio = result.action.median / bare;
  const floorRatio = result.floor.median / bare;
  const libraryFloorRatio = result.libraryFloor.median / bare;
  const target = TARGET.ratioToBareNode;
  const diagnosticBare = result.diagnostics[0]?.time.median ?? Number.NaN;
  const over = (entry: { time: Stats }): string =>
    ms(entry.time.median - diagnosticBare);
  const [, builtins, withDeferred] = result.diagnostics;
  lines.push(
    `- Under ${result.node.label} the action takes ${ms(result.action.median)}, ${ratio(actionRatio)} bare node (${ms(bare)}); the floor takes ${ratio(floorRatio)} and the library floor ${ratio(libraryFloorRatio)}. Peak RSS: ${mib(result.actionRss.median)}, bare node ${mib(result.bareRss.median)}, library floor ${mib(result.libraryFloorRss.median)}.`
  );
  if (floorRatio > target) {
    lines.push(
      `- Here the floor itself is above ${target}× bare node: no action that makes a request can meet that target on this machine and Node.`
    );
  } else if (libraryFloorRatio > target) {
    lines.push(
      `- The library floor is above ${target}× bare node: no action built on @actions/core and @actions/http-client can meet that target on this machine and Node. The action's own work (reading and checking the inputs, the log, the job summary, the decision) adds ${ms(result.action.median - result.libraryFloor.median)} to it.`
    );
  } else {
    lines.push(
      `- A ${target}× target leaves ${ms((target - libraryFloorRatio) * bare)} above the library floor for the action's own work; it takes ${ms(result.action.median - result.libraryFloor.median)}.`
    );
  }
  lines.push(
    `- Over https (private CA) the action takes ${ms(result.actionOverHttps.median)}, ${ratio(result.actionOverHttps.median / bare)} bare node, and peaks at ${mib(result.actionOverHttpsRss.median)} (${mib(result.actionOverHttpsRss.median - result.actionRss.median)} more than over http), for loading https and tls, reading the CA file and the TLS handshake${result.actionOverHttpsRss.median / 1024 > TARGET.peakRssMiB ? `; that takes it over the ${TARGET.peakRssMiB} MiB target` : ''}.`
  );
  if (builtins !== undefined && withDeferred !== undefined) {
    lines.push(
      `- Requiring the built-ins a plain-http run loads (${result.builtinNames.join(', ')}) costs ${over(builtins)} over bare node and peaks at ${mib(builtins.rss.median)}; adding ${DEFERRED_BUILTINS.join(', ')}, as the published packages would, costs ${over(withDeferred)} and peaks at ${mib(withDeferred.rss.median)}.`
    );
  }
  if (result.machineBusy > 1 / os.cpus().length + 0.15) {
    lines.push(
      `- Other processes kept the machine busy (${percent(result.machineBusy)}) during these rounds: run the bench again on a quiet machine before trusting the medians.`
    );
  }
  return lines;
}

await main();
