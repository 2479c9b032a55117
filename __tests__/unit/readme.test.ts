import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, Input, Output } from '../../src/constants.js';

interface ActionInput {
  required?: boolean;
  default?: string;
}

interface ActionManifest {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

const root = new URL('../../', import.meta.url);
const manifest = parse(
  readFileSync(new URL('action.yml', root), 'utf8')
) as ActionManifest;
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** Rows of the first Markdown table after a heading, as cell lists. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThan(-1);
  const lines = readme.slice(start).split('\n');
  const firstRow = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(firstRow + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim())
    );
  }
  return rows;
}

function unquoted(cell: string): string {
  return cell.replace(/^`|`$/g, '');
}

describe('README and action.yml', () => {
  it('document the same inputs with the same defaults', () => {
    const documented = tableAfter('### Inputs').map(([name, value]) => [
      unquoted(name ?? ''),
      value === 'required' ? 'required' : unquoted(value ?? '')
    ]);
    const declared = Object.entries(manifest.inputs).map(([name, input]) => [
      name,
      input.required ? 'required' : input.default === '' ? "''" : input.default
    ]);
    expect(documented).toEqual(declared);
  });

  it('document the same outputs', () => {
    const documented = tableAfter('### Outputs').map(([name]) =>
      unquoted(name ?? '')
    );
    expect(documented).toEqual(Object.keys(manifest.outputs));
  });

  it('match the names the code reads and writes', () => {
    expect(Object.keys(manifest.inputs).sort()).toEqual(
      Object.values(Input).sort()
    );
    expect(Object.keys(manifest.outputs).sort()).toEqual(
      Object.values(Output).sort()
    );
  });

  it('give the command line and library the defaults the runner applies', () => {
    const declared = Object.fromEntries(
      Object.entries(manifest.inputs).map(([name, input]) => [
        name,
        input.default ?? ''
      ])
    );
    expect(INPUT_DEFAULTS).toEqual(declared);
  });

  it('run the bundle on node24', () => {
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
