import { spawn } from 'node:child_process';

/** A process run to its end, with everything it printed. */
export interface FinishedProcess {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the safety net killed it. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` with no standard input, collects both outputs and waits
 * for it to close. A process still running after `killAfterMs` is killed:
 * a safety net against a hang, not an assertion.
 */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; killAfterMs: number }
): Promise<FinishedProcess> {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  let killed = false;
  const safetyNet = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.killAfterMs);
  const [exitCode, signal] = await new Promise<
    [number | null, NodeJS.Signals | null]
  >((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, closeSignal) => resolve([code, closeSignal]));
  }).finally(() => clearTimeout(safetyNet));
  return { exitCode, signal, killed, stdout, stderr };
}
