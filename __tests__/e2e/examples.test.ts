import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionInputs, repositoryRoot } from '../support/run-action.js';

/** The action as the README's workflows name it. */
const PUBLISHED_ACTION = 'your-org/vdk-execution-skip@v0';

/** Keys an example may add to the README's text to be a whole workflow. */
const COMPLETING_KEYS = ['name', 'on'];

/** The README's workflows in the order the Usage section shows them. */
const EXAMPLE_FILES = ['examples/gate-steps.yml', 'examples/gate-jobs.yml'];

function readRepositoryFile(relativePath: string): string {
  return readFileSync(path.join(repositoryRoot, relativePath), 'utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMapping(text: string, where: string): Record<string, unknown> {
  const parsed: unknown = parse(text);
  if (!isRecord(parsed)) throw new Error(`${where} is not a YAML mapping.`);
  return parsed;
}

/** The ```yaml blocks of the README's Usage section, in order. */
function usageWorkflows(): string[] {
  const readme = readRepositoryFile('README.md');
  const start = readme.indexOf('\n## Usage\n');
  expect(start, 'README has a Usage section').toBeGreaterThan(-1);
  const next = readme.indexOf('\n## ', start + 1);
  const usage = readme.slice(start, next === -1 ? undefined : next);
  return [...usage.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(
    (match) => match[1] ?? ''
  );
}

const readmeWorkflows = usageWorkflows();

describe('the README Usage workflows', () => {
  it('are exactly the ones examples/ holds, one file each', () => {
    expect(readmeWorkflows).toHaveLength(EXAMPLE_FILES.length);
  });

  describe.each(EXAMPLE_FILES.map((file, index) => ({ file, index })))(
    '$file',
    ({ file, index }) => {
      const snippet = readmeWorkflows[index] ?? '';
      const exampleText = readRepositoryFile(file);
      const example = parseMapping(exampleText, file);

      it("holds the README's lines verbatim, in one piece", () => {
        expect(snippet).not.toBe('');
        expect(exampleText).toContain(snippet);
      });

      it('adds nothing but a name and a trigger', () => {
        const readmeWorkflow = parseMapping(snippet, `README block ${index}`);
        const added = Object.keys(example).filter(
          (key) => !(key in readmeWorkflow)
        );
        expect(COMPLETING_KEYS).toEqual(expect.arrayContaining(added));
        const kept = Object.fromEntries(
          Object.entries(example).filter(([key]) => key in readmeWorkflow)
        );
        expect(kept).toEqual(readmeWorkflow);
      });

      it('is a whole workflow: name, trigger, jobs with runners and steps', () => {
        expect(typeof example['name']).toBe('string');
        expect(example['on']).toBeTruthy();
        const jobs = example['jobs'];
        if (!isRecord(jobs)) throw new Error(`${file} has no jobs mapping.`);
        expect(Object.keys(jobs).length).toBeGreaterThan(0);
        for (const [jobId, job] of Object.entries(jobs)) {
          if (!isRecord(job)) throw new Error(`Job ${jobId} is no mapping.`);
          expect(job['runs-on'], `${jobId} runs-on`).toBe('ubuntu-latest');
          const steps = job['steps'];
          expect(Array.isArray(steps) && steps.length > 0, jobId).toBe(true);
          for (const step of Array.isArray(steps) ? steps : []) {
            if (!isRecord(step)) throw new Error(`A step of ${jobId} is odd.`);
            // A step either uses an action or runs a command, never both.
            expect('uses' in step !== 'run' in step, JSON.stringify(step)).toBe(
              true
            );
          }
        }
      });

      it('uses the action with inputs that action.yml declares', () => {
        const jobs = isRecord(example['jobs']) ? example['jobs'] : {};
        const gates = Object.values(jobs)
          .flatMap((job) =>
            isRecord(job) && Array.isArray(job['steps']) ? job['steps'] : []
          )
          .filter(
            (step): step is Record<string, unknown> =>
              isRecord(step) && step['uses'] === PUBLISHED_ACTION
          );
        expect(gates).toHaveLength(1);
        const given = isRecord(gates[0]?.['with']) ? gates[0]['with'] : {};
        const declared = readActionInputs();
        expect(declared.map((input) => input.name)).toEqual(
          expect.arrayContaining(Object.keys(given))
        );
        for (const input of declared.filter((input) => input.required)) {
          expect(given[input.name], input.name).toEqual(expect.any(String));
        }
      });
    }
  );
});
