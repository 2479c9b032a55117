// The workflows users copy from the README (examples/) and the `uses: ./`
// job of ci.yml, played the way the runner plays them: every `if:`, job
// output, `with:` and `env:` is evaluated with @actions/expressions, the
// language library GitHub publishes, against contexts built from real runs
// of the committed dist/index.js. A runner cannot be started here, so the
// rules it adds around the expressions are modelled below, each one named.
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { Evaluator, data } from '@actions/expressions';
import { FunctionCall, type Expr } from '@actions/expressions/ast';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  createRunDirectories,
  parseOutputFile,
  removeRunDirectories,
  repositoryRoot,
  runAction,
  runnerNode,
  type ActionRun,
  type RunDirectories
} from '../support/run-action.js';
import {
  checkFailedGoingAhead,
  describeRun,
  withStandIn
} from '../support/scenario.js';
import {
  buildExecution,
  executionList,
  jsonResponse,
  type CannedResponse,
  type StandInControlService
} from '../support/stand-in-control-service.js';
import {
  STATUS_FUNCTIONS,
  childrenOf,
  parseExpression
} from '../support/workflow-expression.js';

afterAll(removeRunDirectories);

// ---------------------------------------------------------------------------
// Workflow files, read into the few fields the runner acts on.

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Result = 'success' | 'failure' | 'skipped';

interface WorkflowStep {
  /** How the step is named in assertions: its id, name, command or action. */
  label: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with: Record<string, string>;
  env: Record<string, string>;
  continueOnError: boolean;
}

interface WorkflowJob {
  id: string;
  needs: string[];
  if?: string;
  env: Record<string, string>;
  outputs: Record<string, string>;
  steps: WorkflowStep[];
}

interface Workflow {
  env: Record<string, string>;
  jobs: WorkflowJob[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalScalar(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (['string', 'number', 'boolean'].includes(typeof value)) {
    return String(value);
  }
  throw new Error(`${where} is not a scalar: ${JSON.stringify(value)}`);
}

function scalarMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new Error(`${where} is not a mapping.`);
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [
      key,
      optionalScalar(entry, `${where}.${key}`) ?? ''
    ])
  );
}

function readStep(value: unknown, where: string): WorkflowStep {
  if (!isRecord(value)) throw new Error(`${where} is not a mapping.`);
  const id = optionalScalar(value['id'], `${where}.id`);
  const uses = optionalScalar(value['uses'], `${where}.uses`);
  const run = optionalScalar(value['run'], `${where}.run`);
  const name = optionalScalar(value['name'], `${where}.name`);
  return {
    label: id ?? name ?? run?.trim() ?? uses ?? where,
    id,
    if: optionalScalar(value['if'], `${where}.if`),
    uses,
    run,
    with: scalarMap(value['with'], `${where}.with`),
    env: scalarMap(value['env'], `${where}.env`),
    continueOnError: value['continue-on-error'] === true
  };
}

function readWorkflow(text: string, where: string): Workflow {
  const parsed: unknown = parseYaml(text);
  if (!isRecord(parsed) || !isRecord(parsed['jobs'])) {
    throw new Error(`${where} has no jobs mapping.`);
  }
  const jobs = Object.entries(parsed['jobs']).map(([id, job]) => {
    if (!isRecord(job)) throw new Error(`${where} job ${id} is odd.`);
    const needs = job['needs'];
    const steps = job['steps'];
    return {
      id,
      needs: (Array.isArray(needs) ? needs : needs ? [needs] : []).map(
        (need) => optionalScalar(need, `${id}.needs`) ?? ''
      ),
      if: optionalScalar(job['if'], `${id}.if`),
      env: scalarMap(job['env'], `${id}.env`),
      outputs: scalarMap(job['outputs'], `${id}.outputs`),
      steps: (Array.isArray(steps) ? steps : []).map((step, index) =>
        readStep(step, `${id}.steps[${index}]`)
      )
    };
  });
  return { env: scalarMap(parsed['env'], `${where}.env`), jobs };
}

function readRepositoryWorkflow(relativePath: string): Workflow {
  return readWorkflow(
    readFileSync(path.join(repositoryRoot, relativePath), 'utf8'),
    relativePath
  );
}

// ---------------------------------------------------------------------------
// Expressions, with the contexts and status functions the runner provides.

/** The contexts GitHub makes available where each kind of value is read. */
const CONTEXTS = {
  jobIf: ['github', 'needs', 'vars', 'inputs'],
  jobEnv: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'vars',
    'secrets',
    'inputs'
  ],
  stepIf: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'job',
    'runner',
    'env',
    'vars',
    'steps',
    'inputs'
  ],
  // A step's with, env and run, and the job's outputs.
  stepValue: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'job',
    'runner',
    'env',
    'vars',
    'secrets',
    'steps',
    'inputs'
  ]
} as const;

interface Status {
  success: boolean;
  failure: boolean;
}

function callsStatusFunction(expr: Expr): boolean {
  if (
    expr instanceof FunctionCall &&
    STATUS_FUNCTIONS.includes(expr.functionName.lexeme.toLowerCase())
  ) {
    return true;
  }
  return childrenOf(expr).some(callsStatusFunction);
}

function statusFunctions(status: Status): Map<string, FunctionDefinition> {
  const constant = (name: string, value: boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value)
  });
  return new Map([
    ['success', constant('success', status.success)],
    ['failure', constant('failure', status.failure)],
    ['always', constant('always', true)],
    // Nothing here is ever cancelled.
    ['cancelled', constant('cancelled', false)]
  ]);
}

function toDictionary(context: JsonObject): data.Dictionary {
  const revived: unknown = JSON.parse(JSON.stringify(context), data.reviver);
  if (!(revived instanceof data.Dictionary)) {
    throw new Error('A context did not become a dictionary.');
  }
  return revived;
}

function evaluate(
  expr: Expr,
  context: JsonObject,
  status: Status
): data.ExpressionData {
  return new Evaluator(
    expr,
    toDictionary(context),
    statusFunctions(status)
  ).evaluate();
}

/** `${{ x }}` around a whole `if:` means the same as `x`. */
function unwrapCondition(condition: string): string {
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return (whole?.[1] ?? condition).trim();
}

/**
 * The condition the runner really evaluates: none is `success()`, and one
 * that calls no status function becomes `success() && (...)`.
 */
function runnerCondition(
  condition: string | undefined,
  contexts: readonly string[]
): Expr {
  const written = unwrapCondition(condition ?? '');
  if (written === '') return parseExpression('success()', contexts);
  const expr = parseExpression(written, contexts);
  return callsStatusFunction(expr)
    ? expr
    : parseExpression(`success() && (${written})`, contexts);
}

function conditionHolds(
  condition: string | undefined,
  contexts: readonly string[],
  context: JsonObject,
  status: Status
): boolean {
  return truthy(
    evaluate(runnerCondition(condition, contexts), context, status)
  );
}

/** The condition as written, without what the runner adds. */
function writtenConditionHolds(
  condition: string,
  contexts: readonly string[],
  context: JsonObject
): boolean {
  const expr = parseExpression(unwrapCondition(condition), contexts);
  return truthy(evaluate(expr, context, { success: true, failure: false }));
}

/** A value with `${{ }}` parts, as a string the way the runner makes it. */
function evaluateTemplate(
  template: string,
  contexts: readonly string[],
  context: JsonObject
): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_whole, source: string) =>
    evaluate(parseExpression(source.trim(), contexts), context, {
      success: true,
      failure: false
    }).coerceString()
  );
}

function evaluateMap(
  values: Record<string, string>,
  contexts: readonly string[],
  context: JsonObject
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      evaluateTemplate(value, contexts, context)
    ])
  );
}

// ---------------------------------------------------------------------------
// Jobs and steps, in the order and with the status rules of the runner.

interface StepRecord {
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
}

interface JobRecord {
  result: Result;
  outputs: Record<string, string>;
  /** Labels of the steps that ran, in order. */
  ran: string[];
  steps: Record<string, StepRecord>;
}

/** Runs one step whose condition held: `with` and `env` are evaluated. */
type StepRunner = (
  step: WorkflowStep,
  inputs: Record<string, string>,
  env: Record<string, string>
) => Promise<{ exitCode: number; outputs: Record<string, string> }>;

interface Trigger {
  /** Contexts that hold from the start: github, inputs, secrets, vars. */
  context: JsonObject;
}

function stepsContext(steps: Record<string, StepRecord>): JsonObject {
  return Object.fromEntries(
    Object.entries(steps).map(([id, step]) => [
      id,
      {
        outcome: step.outcome,
        conclusion: step.conclusion,
        outputs: step.outputs
      }
    ])
  );
}

async function playJob(
  workflow: Workflow,
  job: WorkflowJob,
  trigger: Trigger,
  needs: JsonObject,
  runStep: StepRunner
): Promise<JobRecord> {
  const jobContext: JsonObject = { ...trigger.context, needs };
  const env = {
    ...evaluateMap(workflow.env, CONTEXTS.jobEnv, jobContext),
    ...evaluateMap(job.env, CONTEXTS.jobEnv, jobContext)
  };
  const steps: Record<string, StepRecord> = {};
  const ran: string[] = [];
  // The job's status as success() and failure() see it: a step that fails
  // without continue-on-error fails the job.
  let jobFailed = false;
  for (const step of job.steps) {
    const context: JsonObject = {
      ...jobContext,
      env,
      steps: stepsContext(steps)
    };
    const runs = conditionHolds(step.if, CONTEXTS.stepIf, context, {
      success: !jobFailed,
      failure: jobFailed
    });
    let record: StepRecord = {
      outcome: 'skipped',
      conclusion: 'skipped',
      outputs: {}
    };
    if (runs) {
      const stepEnv = {
        ...env,
        ...evaluateMap(step.env, CONTEXTS.stepValue, context)
      };
      const inputs = evaluateMap(step.with, CONTEXTS.stepValue, context);
      const { exitCode, outputs } = await runStep(step, inputs, stepEnv);
      const outcome: Result = exitCode === 0 ? 'success' : 'failure';
      record = {
        outcome,
        conclusion: step.continueOnError ? 'success' : outcome,
        outputs
      };
      if (record.conclusion === 'failure') jobFailed = true;
      ran.push(step.label);
    }
    if (step.id !== undefined) steps[step.id] = record;
  }
  // Job outputs are evaluated when the job ends, whatever its result; the
  // runner leaves out those that come out empty.
  const outputContext: JsonObject = {
    ...jobContext,
    env,
    steps: stepsContext(steps)
  };
  const outputs = Object.fromEntries(
    Object.entries(
      evaluateMap(job.outputs, CONTEXTS.stepValue, outputContext)
    ).filter(([, value]) => value !== '')
  );
  return { result: jobFailed ? 'failure' : 'success', outputs, ran, steps };
}

function ancestorsOf(workflow: Workflow, job: WorkflowJob): WorkflowJob[] {
  const found = new Map<string, WorkflowJob>();
  const visit = (current: WorkflowJob): void => {
    for (const need of current.needs) {
      const needed = workflow.jobs.find((candidate) => candidate.id === need);
      if (!needed) throw new Error(`${current.id} needs unknown job ${need}.`);
      if (!found.has(need)) {
        found.set(need, needed);
        visit(needed);
      }
    }
  };
  visit(job);
  return [...found.values()];
}

/** Plays every job once its needs are done; returns them by id. */
async function playWorkflow(
  workflow: Workflow,
  trigger: Trigger,
  runStep: StepRunner
): Promise<Record<string, JobRecord>> {
  const done: Record<string, JobRecord> = {};
  while (Object.keys(done).length < workflow.jobs.length) {
    const ready = workflow.jobs.filter(
      (job) => !(job.id in done) && job.needs.every((need) => need in done)
    );
    if (ready.length === 0) throw new Error('The jobs need one another.');
    for (const job of ready) {
      const needs: JsonObject = Object.fromEntries(
        job.needs.map((need) => [
          need,
          {
            result: done[need]?.result ?? null,
            outputs: done[need]?.outputs ?? {}
          }
        ])
      );
      // A job's success() and failure() look at every job it depends on,
      // directly or not; a skipped one is no success.
      const ancestors = ancestorsOf(workflow, job).map(
        (ancestor) => done[ancestor.id]?.result
      );
      const runs = conditionHolds(
        job.if,
        CONTEXTS.jobIf,
        { ...trigger.context, needs },
        {
          success: ancestors.every((result) => result === 'success'),
          failure: ancestors.some((result) => result === 'failure')
        }
      );
      done[job.id] = runs
        ? await playJob(workflow, job, trigger, needs, runStep)
        : { result: 'skipped', outputs: {}, ran: [], steps: {} };
    }
  }
  return done;
}

// ---------------------------------------------------------------------------
// The README's workflows against real runs of dist/index.js.

/** The action as the README's workflows name it. */
const PUBLISHED_ACTION = 'your-org/vdk-execution-skip@v0';
/** The Control Service the README's workflows name; never contacted. */
const EXAMPLE_ORIGIN = 'https://vdk.example.com';
const ACCESS_TOKEN = 'example-vdk-access-token';
const THIS_EXECUTION = 'ingest-sales-1764806400';
const OLDER_EXECUTION = 'ingest-sales-1764802800';

const thisRun = buildExecution({
  id: THIS_EXECUTION,
  start_time: '2025-12-04T00:00:00Z'
});
const olderRun = buildExecution({
  id: OLDER_EXECUTION,
  start_time: '2025-12-03T23:00:00Z'
});

/** What a workflow passes on to its gate through the trigger. */
interface ExampleWorkflow {
  file: string;
  /** The execution id the workflow gives the gate; '' for none. */
  executionId: string;
  /** The id of the job that holds the gate step. */
  gateJob: string;
  /** Jobs gated through `needs`, and steps gated in the gate's own job. */
  gatedJobs: string[];
  gatedSteps: string[];
}

const EXAMPLES: ExampleWorkflow[] = [
  {
    file: 'examples/gate-steps.yml',
    executionId: '',
    gateJob: 'ingest',
    gatedJobs: [],
    gatedSteps: ['vdk execute --start -n ingest-sales -t sales']
  },
  {
    file: 'examples/gate-jobs.yml',
    executionId: THIS_EXECUTION,
    gateJob: 'gate',
    gatedJobs: ['ingest'],
    gatedSteps: []
  }
];

interface Scenario {
  title: string;
  /** The stand-in's answer, given the execution id the workflow passes. */
  answer: (executionId: string) => CannedResponse;
  /** Added to the gate's `with:`, as a user would add them. */
  extraInputs: Record<string, string>;
  exitCode: number;
  /** Every output the run sets (toEqual) or the ones that matter. */
  outputs: Record<string, string>;
  exactOutputs: boolean;
  /** Whether the gate sends a request at all. */
  asks: boolean;
  /** Whether the gated work must run. */
  goesAhead: boolean;
}

const checkFails = (): CannedResponse =>
  jsonResponse(
    {
      what: 'Access to data job ingest-sales is denied',
      why: 'The stand-in refuses on purpose'
    },
    403
  );

const SCENARIOS: Scenario[] = [
  {
    title: 'an older execution is running: stands aside',
    answer: (executionId) =>
      executionList(executionId === '' ? [olderRun] : [thisRun, olderRun]),
    extraInputs: {},
    exitCode: 0,
    outputs: {
      skipped: 'true',
      reason: 'other-execution-running',
      'blocking-execution-id': OLDER_EXECUTION
    },
    exactOutputs: false,
    asks: true,
    goesAhead: false
  },
  {
    title: 'nothing else is active: goes ahead',
    answer: (executionId) => executionList(executionId === '' ? [] : [thisRun]),
    extraInputs: {},
    exitCode: 0,
    outputs: {
      skipped: 'false',
      reason: 'no-other-execution',
      'blocking-execution-id': '',
      'termination-message-path': ''
    },
    exactOutputs: true,
    asks: true,
    goesAhead: true
  },
  {
    title: 'the check fails under on-error: proceed',
    answer: checkFails,
    extraInputs: { 'on-error': 'proceed' },
    exitCode: 0,
    outputs: checkFailedGoingAhead(),
    exactOutputs: true,
    asks: true,
    goesAhead: true
  },
  {
    title: 'the check fails under on-error: skip',
    answer: checkFails,
    extraInputs: { 'on-error': 'skip' },
    exitCode: 0,
    outputs: { skipped: 'true', reason: 'check-failed' },
    exactOutputs: false,
    asks: true,
    goesAhead: false
  },
  {
    title: 'the check fails under on-error: fail',
    answer: checkFails,
    extraInputs: { 'on-error': 'fail' },
    exitCode: 1,
    outputs: { reason: 'check-failed' },
    exactOutputs: true,
    asks: true,
    goesAhead: false
  },
  {
    title: 'a bad input fails the step before any output',
    answer: () => executionList([]),
    extraInputs: { 'on-error': 'sometimes' },
    exitCode: 1,
    outputs: {},
    exactOutputs: true,
    asks: false,
    goesAhead: false
  }
];

/** The example's URL with its origin swapped for the stand-in's. */
function pointAtStandIn(
  values: Record<string, string>,
  service: StandInControlService
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      value.split(EXAMPLE_ORIGIN).join(service.baseUrl)
    ])
  );
}

interface PlayedExample {
  jobs: Record<string, JobRecord>;
  gateRuns: ActionRun[];
  service: StandInControlService;
}

/**
 * Plays `workflow` with its gate step run for real against a stand-in that
 * answers as `scenario` says; the other steps are taken to succeed.
 */
async function playExample(
  example: ExampleWorkflow,
  workflow: Workflow,
  scenario: Scenario
): Promise<PlayedExample> {
  return withStandIn(
    { responses: [scenario.answer(example.executionId)] },
    async (service) => {
      const gateRuns: ActionRun[] = [];
      const runStep: StepRunner = async (step, inputs, env) => {
        if (step.uses !== PUBLISHED_ACTION) return { exitCode: 0, outputs: {} };
        const given = pointAtStandIn(
          { ...inputs, ...scenario.extraInputs },
          service
        );
        const gateEnv = pointAtStandIn(env, service);
        // Refuse to start a run that could reach anything but the stand-in.
        for (const value of [
          ...Object.values(given),
          ...Object.values(gateEnv)
        ]) {
          if (value.includes('://') && !value.startsWith(service.baseUrl)) {
            throw new Error(`${example.file} names another host: ${value}`);
          }
        }
        const run = await runAction({
          node: runnerNode(),
          inputs: given,
          env: gateEnv
        });
        gateRuns.push(run);
        return { exitCode: run.exitCode ?? -1, outputs: run.outputs };
      };
      const jobs = await playWorkflow(
        workflow,
        {
          context: {
            inputs:
              example.executionId === ''
                ? {}
                : { 'execution-id': example.executionId },
            secrets: { VDK_ACCESS_TOKEN: ACCESS_TOKEN }
          }
        },
        runStep
      );
      return { jobs, gateRuns, service };
    }
  );
}

describe.each(EXAMPLES)('$file, as the runner plays it', (example) => {
  const workflow = readRepositoryWorkflow(example.file);
  const gateJob = workflow.jobs.find((job) => job.id === example.gateJob);
  const gateStep = gateJob?.steps.find(
    (step) => step.uses === PUBLISHED_ACTION
  );

  it('names the gate job and step this test plays', () => {
    expect(gateStep?.id).toEqual(expect.any(String));
    expect(workflow.jobs.map((job) => job.id)).toEqual(
      expect.arrayContaining([example.gateJob, ...example.gatedJobs])
    );
    // Never aimed at the example's host: every URL goes to the stand-in.
    const urls = [
      ...Object.values(gateStep?.with ?? {}),
      ...Object.values(gateStep?.env ?? {})
    ].filter((value) => /^https?:/.test(value));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(EXAMPLE_ORIGIN)).toBe(true);
  });

  describe.each(SCENARIOS)('$title', (scenario) => {
    it('runs the gated work exactly when the gate succeeded and went ahead', async () => {
      const { jobs, gateRuns, service } = await playExample(
        example,
        workflow,
        scenario
      );

      // The run is the case the scenario names.
      expect(gateRuns).toHaveLength(1);
      const run = gateRuns[0];
      if (!run) throw new Error('The gate did not run.');
      expect(run.exitCode, describeRun(run)).toBe(scenario.exitCode);
      if (scenario.exactOutputs) {
        expect(run.outputs).toEqual(scenario.outputs);
      } else {
        expect(run.outputs).toMatchObject(scenario.outputs);
      }
      // The example's own with/env reached the action: its job, team, base
      // path and token, and its execution id when it gives one.
      expect(service.requests).toHaveLength(scenario.asks ? 1 : 0);
      for (const request of service.requests) {
        expect(request.rawUrl).toMatch(
          /^\/control\/data-jobs\/for-team\/sales\/jobs\/ingest-sales\/executions\?/
        );
        expect(request.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
      }

      const wentAheadAndSucceeded =
        run.exitCode === 0 && run.outputs['skipped'] === 'false';
      expect(wentAheadAndSucceeded).toBe(scenario.goesAhead);

      const gate = jobs[example.gateJob];
      expect(gate?.result).toBe(
        scenario.exitCode === 0 ? 'success' : 'failure'
      );
      for (const label of example.gatedSteps) {
        expect(gate?.ran.includes(label), label).toBe(scenario.goesAhead);
      }
      for (const jobId of example.gatedJobs) {
        expect(jobs[jobId]?.result, jobId).toBe(
          scenario.goesAhead ? 'success' : 'skipped'
        );
      }
      if (gateJob && Object.keys(gateJob.outputs).length > 0) {
        // Job outputs carry what the step set; an unset one is left out.
        const carried = Object.fromEntries(
          Object.keys(gateJob.outputs)
            .filter((name) => (run.outputs[name] ?? '') !== '')
            .map((name) => [name, run.outputs[name] ?? ''])
        );
        expect(gate?.outputs).toEqual(carried);
      }
    });
  });

  it('keeps failed gates out only through the success() the runner adds', async () => {
    // When the gate fails it sets no `skipped`, so the condition as written
    // holds: only the implied success() stops the gated work. A condition
    // that calls always() or a gate with continue-on-error loses that.
    const failing = SCENARIOS.filter((scenario) => scenario.exitCode !== 0);
    expect(failing.length).toBeGreaterThan(0);
    for (const scenario of failing) {
      const { jobs } = await playExample(example, workflow, scenario);
      const gate = jobs[example.gateJob];
      const conditions = [
        ...(gateJob?.steps ?? [])
          .filter((step) => example.gatedSteps.includes(step.label))
          .map((step) => ({
            condition: step.if ?? '',
            contexts: CONTEXTS.stepIf,
            context: { steps: stepsContext(gate?.steps ?? {}) }
          })),
        ...workflow.jobs
          .filter((job) => example.gatedJobs.includes(job.id))
          .map((job) => ({
            condition: job.if ?? '',
            contexts: CONTEXTS.jobIf,
            context: {
              needs: {
                [example.gateJob]: {
                  result: gate?.result ?? null,
                  outputs: gate?.outputs ?? {}
                }
              }
            }
          }))
      ];
      expect(conditions.length).toBeGreaterThan(0);
      for (const { condition, contexts, context } of conditions) {
        expect(condition).not.toBe('');
        expect(writtenConditionHolds(condition, contexts, context)).toBe(true);
        expect(
          conditionHolds(condition, contexts, context, {
            success: false,
            failure: true
          })
        ).toBe(false);
      }
    }
  });
});

describe('a gate that continues on error, as a user might write it', () => {
  // The README's first workflow with continue-on-error on the gate, and two
  // ways to gate on it: only one of them keeps a failed check out.
  const workflow = readWorkflow(
    `
jobs:
  ingest:
    runs-on: ubuntu-latest
    steps:
      - id: gate
        uses: ${PUBLISHED_ACTION}
        continue-on-error: true
        with:
          job-name: ingest-sales
          team: sales
          api-url: ${EXAMPLE_ORIGIN}/control
          api-token: \${{ secrets.VDK_ACCESS_TOKEN }}
      - id: not-skipped
        if: steps.gate.outputs.skipped != 'true'
        run: vdk execute --start -n ingest-sales -t sales
      - id: went-ahead
        if: steps.gate.outputs.skipped == 'false'
        run: vdk execute --start -n ingest-sales -t sales
      - id: why
        if: steps.gate.outcome == 'failure' && steps.gate.outputs.reason == 'check-failed'
        run: echo "The check failed and stopped the gate."
`,
    'continue-on-error variant'
  );
  const example: ExampleWorkflow = {
    file: 'continue-on-error variant',
    executionId: '',
    gateJob: 'ingest',
    gatedJobs: [],
    gatedSteps: []
  };
  const scenarioTitled = (start: string): Scenario => {
    const found = SCENARIOS.find((scenario) =>
      scenario.title.startsWith(start)
    );
    if (!found) throw new Error(`No scenario "${start}".`);
    return found;
  };

  it('under on-error: fail, `!= true` lets the work run; `== false` does not', async () => {
    const { jobs } = await playExample(
      example,
      workflow,
      scenarioTitled('the check fails under on-error: fail')
    );
    const job = jobs['ingest'];
    // The step failed, yet the job goes on as a success.
    expect(job?.steps['gate']).toMatchObject({
      outcome: 'failure',
      conclusion: 'success',
      outputs: { reason: 'check-failed' }
    });
    expect(job?.result).toBe('success');
    expect(job?.ran).toEqual(['gate', 'not-skipped', 'why']);
  });

  it('after a bad input, nothing tells why, and `!= true` still runs the work', async () => {
    const { jobs } = await playExample(
      example,
      workflow,
      scenarioTitled('a bad input')
    );
    expect(jobs['ingest']?.steps['gate']).toMatchObject({
      outcome: 'failure',
      outputs: {}
    });
    expect(jobs['ingest']?.ran).toEqual(['gate', 'not-skipped']);
  });

  it('when the check stands aside, neither condition runs the work', async () => {
    const { jobs } = await playExample(
      example,
      workflow,
      scenarioTitled('an older execution is running')
    );
    expect(jobs['ingest']?.ran).toEqual(['gate']);
  });
});

// ---------------------------------------------------------------------------
// ci.yml's `uses: ./` job, replayed on this machine.

const CI_WORKFLOW = '.github/workflows/ci.yml';
const CI_ACTION_JOB = 'action';
/** Actions the replay stands in for: this checkout and this machine's node. */
const PROVIDED_ACTIONS = /^actions\/(checkout|setup-node)@/;

interface Replay {
  job: JobRecord;
  logs: string[];
  standInPid: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Runs a `run:` script the way the runner's default bash shell does. */
async function runScript(
  script: string,
  env: Record<string, string>,
  directories: RunDirectories
): Promise<{ exitCode: number; log: string }> {
  const scriptFile = path.join(
    directories.root,
    `step-${Date.now()}-${Math.random().toString(16).slice(2)}.sh`
  );
  await fs.writeFile(scriptFile, script);
  const child = spawn(
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile],
    {
      cwd: repositoryRoot,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: directories.root,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: repositoryRoot,
        GITHUB_OUTPUT: directories.outputFile,
        GITHUB_STEP_SUMMARY: directories.stepSummaryFile,
        RUNNER_TEMP: directories.runnerTemp,
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (log += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (log += text));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
  return { exitCode, log };
}

/** Fresh command files for one step; RUNNER_TEMP is the job's. */
async function stepDirectories(
  job: RunDirectories,
  index: number
): Promise<RunDirectories> {
  const folder = path.join(job.root, `step-${index}`);
  await fs.mkdir(folder);
  const directories: RunDirectories = {
    ...job,
    outputFile: path.join(folder, 'output'),
    stepSummaryFile: path.join(folder, 'step-summary')
  };
  await fs.writeFile(directories.outputFile, '');
  await fs.writeFile(directories.stepSummaryFile, '');
  return directories;
}

async function replayCiActionJob(
  change: (job: WorkflowJob) => WorkflowJob = (job) => job
): Promise<Replay> {
  const workflow = readRepositoryWorkflow(CI_WORKFLOW);
  const original = workflow.jobs.find((job) => job.id === CI_ACTION_JOB);
  if (!original) throw new Error(`${CI_WORKFLOW} has no ${CI_ACTION_JOB} job.`);
  const job = change(original);
  const jobDirectories = await createRunDirectories();
  const logs: string[] = [];
  let stepIndex = 0;
  let standInPid = 0;
  const runStep: StepRunner = async (step, inputs, env) => {
    const directories = await stepDirectories(jobDirectories, stepIndex++);
    if (step.uses === './') {
      const run = await runAction({
        node: runnerNode(),
        inputs,
        env,
        directories
      });
      logs.push(run.stdout + run.stderr);
      return { exitCode: run.exitCode ?? -1, outputs: run.outputs };
    }
    if (step.uses !== undefined) {
      if (!PROVIDED_ACTIONS.test(step.uses)) {
        throw new Error(`The replay cannot stand in for ${step.uses}.`);
      }
      return { exitCode: 0, outputs: {} };
    }
    const { exitCode, log } = await runScript(step.run ?? '', env, directories);
    logs.push(log);
    const outputs = parseOutputFile(
      await fs.readFile(directories.outputFile, 'utf8')
    );
    if (step.id === 'stand-in' && outputs['pid']) {
      standInPid = Number(outputs['pid']);
    }
    return { exitCode, outputs };
  };
  try {
    const jobs = await playWorkflow(
      { env: workflow.env, jobs: [{ ...job, needs: [] }] },
      { context: {} },
      runStep
    );
    const played = jobs[CI_ACTION_JOB];
    if (!played) throw new Error('The job was not played.');
    return { job: played, logs, standInPid };
  } finally {
    // The job's last step stops the stand-in; this only catches a replay
    // that never got there.
    if (standInPid > 0 && !(await waitUntilGone(standInPid, 2_000))) {
      process.kill(standInPid, 'SIGTERM');
    }
  }
}

describe(`${CI_WORKFLOW}, job ${CI_ACTION_JOB}, replayed on this machine`, () => {
  it('installs nothing, so that the replay runs it as it stands', () => {
    const job = readRepositoryWorkflow(CI_WORKFLOW).jobs.find(
      (candidate) => candidate.id === CI_ACTION_JOB
    );
    expect(job?.steps.length).toBeGreaterThan(0);
    for (const step of job?.steps ?? []) {
      if (step.uses !== undefined) {
        expect(step.uses === './' || PROVIDED_ACTIONS.test(step.uses)).toBe(
          true
        );
      }
      expect(step.run ?? '').not.toMatch(/\bnpm\b|\bnpx\b/);
    }
  });

  it('stands aside for the running execution, goes ahead for the idle job, and stops its stand-in', async () => {
    const { job, logs, standInPid } = await replayCiActionJob();
    const everything = logs.join('\n');
    expect(job.result, everything).toBe('success');
    expect(job.steps['busy']?.outputs).toMatchObject({
      skipped: 'true',
      reason: 'other-execution-running',
      'blocking-execution-id': 'ingest-sales-1764806400'
    });
    expect(job.steps['idle']?.outputs).toMatchObject({
      skipped: 'false',
      reason: 'no-other-execution'
    });
    // Every step ran but the tripwire gated on `skipped`.
    expect(job.ran).not.toContain('A step gated on skipped does not run');
    expect(job.ran).toContain(
      'The check stood aside for the running execution'
    );
    expect(job.ran).toContain('The check went ahead');
    expect(job.ran).toContain('Stop the stand-in Control Service');
    expect(everything).toMatch(
      /GET \/data-jobs\/for-team\/sales\/jobs\/ingest-sales\/executions\?\S* -> 200/
    );
    expect(everything).toMatch(
      /GET \/data-jobs\/for-team\/sales\/jobs\/ingest-orders\/executions\?\S* -> 200/
    );
    expect(standInPid).toBeGreaterThan(0);
    expect(await waitUntilGone(standInPid, 2_000)).toBe(true);
  });

  it('fails when the gate goes ahead although an execution runs', async () => {
    // Aim the "busy" check at the idle job: the action rightly goes ahead,
    // and the job must notice that it did not stand aside.
    const { job, standInPid } = await replayCiActionJob((original) => ({
      ...original,
      steps: original.steps.map((step) =>
        step.id === 'busy'
          ? { ...step, with: { ...step.with, 'job-name': 'ingest-orders' } }
          : step
      )
    }));
    expect(job.result).toBe('failure');
    expect(job.ran).toContain('A step gated on skipped does not run');
    expect(job.ran).not.toContain('The check went ahead');
    // The stand-in is stopped even so.
    expect(job.ran).toContain('Stop the stand-in Control Service');
    expect(await waitUntilGone(standInPid, 2_000)).toBe(true);
  });
});
