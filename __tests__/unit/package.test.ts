import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
}

const manifest = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
) as Manifest;

describe('package.json', () => {
  it('runs no install script in a project that depends on this package', () => {
    // Those scripts run in a dependent's install too, where devDependencies
    // such as patch-package are missing; the bundles need nothing at install.
    for (const name of ['preinstall', 'install', 'postinstall']) {
      expect(manifest.scripts).not.toHaveProperty(name);
    }
  });

  it('applies the patches on every install in this repository', () => {
    expect(manifest.scripts['prepare']).toBe('patch-package --error-on-fail');
    expect(manifest.devDependencies).toHaveProperty('patch-package');
  });
});
