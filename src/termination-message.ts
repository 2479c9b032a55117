import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** VDK's termination message for a run that stood aside. */
export function skippedMessage(vdkVersion: string): string {
  return JSON.stringify({ vdk_version: vdkVersion, status: 'Skipped' });
}

/**
 * Replaces the file's content with `content` so that a reader sees either
 * the old file or the whole new one, never a part: the text goes to a
 * temporary file in the same folder, which is then renamed over the target.
 */
export async function writeWholeFile(
  filePath: string,
  content: string
): Promise<void> {
  // A link is written through, not replaced: the rename goes to the file it
  // names, which keeps its permissions.
  const target = await fs.realpath(filePath).catch(() => filePath);
  const existingMode = await fs
    .stat(target)
    .then((stats) => stats.mode & 0o777)
    .catch(() => null);
  const folder = path.dirname(target);
  await fs.mkdir(folder, { recursive: true });
  const temporary = path.join(
    folder,
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`
  );
  try {
    const handle = await fs.open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A replaced file keeps its permissions; a new one gets the umask's.
    if (existingMode !== null) await fs.chmod(temporary, existingMode);
    await fs.rename(temporary, target);
  } catch (thrown) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw thrown;
  }
}
