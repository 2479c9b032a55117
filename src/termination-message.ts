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
  const folder = path.dirname(filePath);
  await fs.mkdir(folder, { recursive: true });
  const temporary = path.join(
    folder,
    `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`
  );
  try {
    const handle = await fs.open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, filePath);
  } catch (thrown) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw thrown;
  }
}
