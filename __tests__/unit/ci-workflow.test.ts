// Static checks of .github/workflows/ci.yml: every `steps.<id>` and
// `needs.<job>` it reads names something the workflow defines where the
// runner can see it, the `uses: ./` job gives only inputs action.yml
// declares, and the test job is what .ci/run does. A wrong reference is not
// an error on GitHub: it reads as empty and a gate silently opens.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { data } from '@actions/expressions';
import {
  ContextAccess,
  IndexAccess,
  Literal,
  type Expr
} from '@actions/expressions/ast';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  readActionInputs,
  repositoryRoot,
  runnerNodeMajor
} from '../support/run-action.js';
import { childrenOf, parseExpression } from '../support/workflow-expression.js';

const CI_WORKFLOW = '.github/workflows/ci.yml';

const ALL_CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs'
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function without(
  record: Record<string, unknown>,
  ...keys: string[]
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => !keys.includes(key))
  );
}

function readManifest(): Record<string, unknown> {
  return recordOf(
    parseYaml(readFileSync(path.join(repositoryRoot, 'action.yml'), 'utf8'))
  );
}

/** `steps.gate.outputs.x` (or `steps['gate']...`) as its names. */
function propertyPath(expr: Expr): string[] | null {
  if (expr instanceof ContextAccess) return [expr.name.lexeme.toLowerCase()];
  if (
    expr instanceof IndexAccess &&
    expr.index instanceof Literal &&
    expr.index.literal.kind === data.Kind.String
  ) {
    const base = propertyPath(expr.expr);
    return base ? [...base, expr.index.literal.coerceString()] : null;
  }
  return null;
}

/** Every longest named path an expression reads. */
function pathsRead(expr: Expr): string[][] {
  const whole = propertyPath(expr);
  return whole ? [whole] : childrenOf(expr).flatMap(pathsRead);
}

/** Expressions inside `${{ }}` in any string of a YAML value. */
function templateExpressions(value: unknown): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) =>
      (match[1] ?? '').trim()
    );
  }
  if (Array.isArray(value)) return value.flatMap(templateExpressions);
  if (isRecord(value)) {
    return Object.values(value).flatMap(templateExpressions);
  }
  return [];
}

/** An `if:` is an expression with or without `${{ }}` around it. */
function conditionExpression(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const text = String(value);
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return [(whole?.[1] ?? text).trim()];
}

interface Scope {
  where: string;
  /** Step ids readable here with what each step is; null: none at all. */
  steps: Map<string, Record<string, unknown>> | null;
  /** Jobs readable through needs here. */
  needs: string[];
}

interface Checked {
  problems: string[];
  /** Every reference seen, as `where: steps.x.outputs.y`, for coverage. */
  seen: string[];
}

function checkExpressions(
  expressions: string[],
  scope: Scope,
  jobs: Record<string, unknown>,
  checked: Checked
): void {
  const declaredOutputs = Object.keys(recordOf(readManifest()['outputs']));
  for (const source of expressions) {
    for (const [context, name, field, output] of pathsRead(
      parseExpression(source, ALL_CONTEXTS)
    )) {
      if (context !== 'steps' && context !== 'needs') continue;
      if (name === undefined) continue;
      const reference = [context, name, field, output]
        .filter((part) => part !== undefined)
        .join('.');
      checked.seen.push(`${scope.where}: ${reference}`);
      const problem = (text: string): void => {
        checked.problems.push(`${scope.where}: ${reference}: ${text}`);
      };
      if (context === 'steps') {
        const step = scope.steps?.get(name);
        if (scope.steps === null) {
          problem('no steps context here');
        } else if (!step) {
          problem('no earlier step of this job has this id');
        } else if (field === 'outputs' && output !== undefined) {
          const script = typeof step['run'] === 'string' ? step['run'] : null;
          if (step['uses'] === './' && !declaredOutputs.includes(output)) {
            problem('action.yml declares no such output');
          } else if (
            script !== null &&
            !(
              script.includes('GITHUB_OUTPUT') &&
              new RegExp(`\\b${output}=`).test(script)
            )
          ) {
            problem('the step never writes this output');
          }
        }
      } else if (!scope.needs.includes(name)) {
        problem('not among this job\u2019s needs');
      } else if (field === 'outputs' && output !== undefined) {
        const outputs = recordOf(recordOf(jobs[name])['outputs']);
        if (!(output in outputs)) problem('that job declares no such output');
      }
    }
  }
}

/** Every misplaced or dangling reference and undeclared input. */
function checkWorkflow(text: string): Checked {
  const workflow = recordOf(parseYaml(text));
  const jobs = recordOf(workflow['jobs']);
  const checked: Checked = { problems: [], seen: [] };
  checkExpressions(
    templateExpressions(without(workflow, 'jobs')),
    { where: 'workflow', steps: null, needs: [] },
    jobs,
    checked
  );
  const inputs = readActionInputs();
  for (const [jobId, jobValue] of Object.entries(jobs)) {
    const job = recordOf(jobValue);
    const rawNeeds = job['needs'];
    const needs = (Array.isArray(rawNeeds) ? rawNeeds : [rawNeeds])
      .filter((need) => need !== undefined)
      .map(String);
    for (const need of needs) {
      if (!(need in jobs)) {
        checked.problems.push(`${jobId}: needs ${need}: no such job`);
      }
    }
    const steps = listOf(job['steps']).map(recordOf);
    const jobScope = { where: jobId, steps: null, needs };
    checkExpressions(conditionExpression(job['if']), jobScope, jobs, checked);
    checkExpressions(
      templateExpressions(without(job, 'steps', 'outputs', 'if')),
      jobScope,
      jobs,
      checked
    );
    const allSteps = new Map(
      steps.flatMap((step) =>
        typeof step['id'] === 'string' ? [[step['id'], step] as const] : []
      )
    );
    checkExpressions(
      templateExpressions(job['outputs']),
      { where: `${jobId}.outputs`, steps: allSteps, needs },
      jobs,
      checked
    );
    const earlier = new Map<string, Record<string, unknown>>();
    for (const [index, step] of steps.entries()) {
      const scope = {
        where: `${jobId}.steps[${index}]`,
        steps: new Map(earlier),
        needs
      };
      checkExpressions(conditionExpression(step['if']), scope, jobs, checked);
      checkExpressions(
        templateExpressions(without(step, 'if')),
        scope,
        jobs,
        checked
      );
      const id = step['id'];
      if (typeof id === 'string') {
        if (earlier.has(id)) {
          checked.problems.push(`${scope.where}: id ${id} is taken`);
        }
        earlier.set(id, step);
      }
      if (step['uses'] === './') {
        const given = recordOf(step['with']);
        for (const name of Object.keys(given)) {
          if (!inputs.some((input) => input.name === name)) {
            checked.problems.push(
              `${scope.where}: input ${name}: action.yml declares no such input`
            );
          }
        }
        for (const input of inputs.filter((input) => input.required)) {
          if (String(given[input.name] ?? '').trim() === '') {
            checked.problems.push(
              `${scope.where}: input ${input.name}: required but not given`
            );
          }
        }
      }
    }
  }
  return checked;
}

const ciText = readFileSync(path.join(repositoryRoot, CI_WORKFLOW), 'utf8');
const ci = recordOf(parseYaml(ciText));
const ciJobs = recordOf(ci['jobs']);

function stepsOf(jobId: string): Record<string, unknown>[] {
  return listOf(recordOf(ciJobs[jobId])['steps']).map(recordOf);
}

describe('the reference check', () => {
  it('finds dangling, misplaced and undeclared names', () => {
    const { problems } = checkWorkflow(`
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    outputs:
      gone: \${{ steps.nowhere.outputs.x }}
    steps:
      - id: early
        if: steps.late.outputs.done == 'true'
        run: echo "done=true" >> "$GITHUB_OUTPUT"
      - id: late
        run: echo "done=true" >> "$GITHUB_OUTPUT"
      - id: gate
        uses: ./
        with:
          job-name: ingest-sales
          colour: blue
      - run: echo "\${{ steps.gate.outputs.verdict }} \${{ steps.late.outputs.other }}"
  second:
    needs: first
    if: needs.third.result == 'success' && steps.late.outcome == 'success'
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.first.outputs.missing }}"
`);
    expect(problems).toEqual([
      'first.outputs: steps.nowhere.outputs.x: no earlier step of this job has this id',
      'first.steps[0]: steps.late.outputs.done: no earlier step of this job has this id',
      'first.steps[2]: input colour: action.yml declares no such input',
      'first.steps[2]: input team: required but not given',
      'first.steps[3]: steps.gate.outputs.verdict: action.yml declares no such output',
      'first.steps[3]: steps.late.outputs.other: the step never writes this output',
      'second: needs.third.result: not among this job\u2019s needs',
      'second: steps.late.outcome: no steps context here',
      'second.steps[0]: needs.first.outputs.missing: that job declares no such output'
    ]);
  });

  it('accepts a workflow whose references all resolve', () => {
    const { problems, seen } = checkWorkflow(`
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    outputs:
      skipped: \${{ steps.gate.outputs.skipped }}
    steps:
      - id: gate
        uses: ./
        with:
          job-name: ingest-sales
          team: sales
  second:
    needs: [first]
    if: needs.first.outputs.skipped != 'true'
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
`);
    expect(problems).toEqual([]);
    expect(seen).toEqual([
      'first.outputs: steps.gate.outputs.skipped',
      'second: needs.first.outputs.skipped'
    ]);
  });
});

describe(CI_WORKFLOW, () => {
  it('reads only steps and jobs it defines, where it can see them', () => {
    const { problems, seen } = checkWorkflow(ciText);
    expect(problems).toEqual([]);
    // The check saw the references that wire the job together.
    expect(seen).toEqual(
      expect.arrayContaining([
        'action.steps[3]: steps.stand-in.outputs.url',
        'action.steps[4]: steps.busy.outputs.skipped'
      ])
    );
  });

  it('runs the action with uses: ./ against a stand-in started in the job', () => {
    const usesLocal = Object.keys(ciJobs).filter((jobId) =>
      stepsOf(jobId).some((step) => step['uses'] === './')
    );
    expect(usesLocal).toEqual(['action']);
    const steps = stepsOf('action');
    const standIn = steps.findIndex((step) => step['id'] === 'stand-in');
    const firstUse = steps.findIndex((step) => step['uses'] === './');
    expect(standIn).toBeGreaterThan(-1);
    expect(standIn).toBeLessThan(firstUse);
    expect(String(steps[standIn]?.['run'])).toContain(
      'node scripts/stand-in-service.mjs'
    );
    // The stand-in is stopped whatever happened before.
    const last = steps[steps.length - 1] ?? {};
    expect(String(last['if'])).toMatch(/^always\(\)/);
    expect(String(last['run'])).toContain('kill');
  });

  it('runs npm ci, npm test and the dist/ check as .ci/run does', () => {
    const scripts = stepsOf('test').map((step) => String(step['run'] ?? ''));
    const position = (needle: string): number =>
      scripts.findIndex((script) => script.includes(needle));
    const ciRun = readFileSync(path.join(repositoryRoot, '.ci/run'), 'utf8');
    for (const command of [
      'npm ci',
      'npm test',
      'npm run bundle',
      'git status --porcelain -- dist'
    ]) {
      expect(ciRun, `.ci/run runs ${command}`).toContain(command);
      expect(position(command), command).toBeGreaterThan(-1);
    }
    expect(position('npm ci')).toBeLessThan(position('npm test'));
    expect(position('npm test')).toBeLessThan(position('npm run bundle'));
    const distCheck = scripts[position('git status --porcelain -- dist')] ?? '';
    expect(distCheck).toMatch(/if \[ -n "\$stale" \]; then[\s\S]*exit 1/);
  });

  it("sets up a Node other than the runner's for the tests", () => {
    // The end-to-end tests compare this machine's Node with the runner's
    // Node from node_modules and refuse one major version twice.
    const setupNode = stepsOf('test').find((step) =>
      String(step['uses'] ?? '').startsWith('actions/setup-node@')
    );
    const version = String(recordOf(setupNode?.['with'])['node-version']);
    expect(version).toMatch(/^\d+$/);
    expect(Number(version)).not.toBe(runnerNodeMajor());
    expect(Number(version)).toBeGreaterThanOrEqual(20);
  });
});
