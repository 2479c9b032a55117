import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  skippedMessage,
  writeWholeFile
} from '../../src/termination-message.js';

let folder = '';

beforeEach(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'termination-'));
});

afterEach(async () => {
  await fs.rm(folder, { recursive: true, force: true });
});

describe('skippedMessage', () => {
  it("is VDK's Skipped document", () => {
    expect(JSON.parse(skippedMessage('1.2.3'))).toEqual({
      vdk_version: '1.2.3',
      status: 'Skipped'
    });
  });
});

describe('writeWholeFile', () => {
  it('replaces longer content and creates parent folders', async () => {
    const target = path.join(folder, 'a', 'b', 'log.json');
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, 'x'.repeat(5000));
    await writeWholeFile(target, '{"status":"Skipped"}');
    expect(await fs.readFile(target, 'utf8')).toBe('{"status":"Skipped"}');
    const nested = path.join(folder, 'new', 'deeper', 'log.json');
    await writeWholeFile(nested, 'whole');
    expect(await fs.readFile(nested, 'utf8')).toBe('whole');
  });

  it('leaves no temporary file behind when it cannot write', async () => {
    const target = path.join(folder, 'is-a-folder');
    await fs.mkdir(target);
    await expect(writeWholeFile(target, 'x')).rejects.toThrow();
    expect(await fs.readdir(folder)).toEqual(['is-a-folder']);
  });

  it('never shows a reader part of the new content', async () => {
    const target = path.join(folder, 'log.json');
    const big = JSON.stringify({ filler: 'y'.repeat(4_000_000) });
    await fs.writeFile(target, 'old');
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const seen = await fs.readFile(target, 'utf8');
        expect(seen === 'old' || seen === big).toBe(true);
        reads++;
      }
    })();
    await writeWholeFile(target, big);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(await fs.readFile(target, 'utf8')).toBe(big);
  });
});

describe('writeWholeFile through a link', () => {
  it('writes the file a link names and keeps its permissions', async () => {
    const real = path.join(folder, 'real.json');
    const link = path.join(folder, 'link.json');
    await fs.writeFile(real, 'old');
    await fs.chmod(real, 0o600);
    await fs.symlink(real, link);
    await writeWholeFile(link, 'new');
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(real, 'utf8')).toBe('new');
    expect((await fs.stat(real)).mode & 0o777).toBe(0o600);
  });
});
