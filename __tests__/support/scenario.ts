import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot, type ActionRun } from './run-action.js';
import {
  StandInControlService,
  type StandInOptions
} from './stand-in-control-service.js';

export const JOB_NAME = 'ingest-sales';
export const TEAM = 'data-platform';

/** The request line path of the executions query for JOB_NAME of TEAM. */
export const EXECUTIONS_PATH = `/data-jobs/for-team/${TEAM}/jobs/${JOB_NAME}/executions`;

/** The status filter the check must send, in order. */
export const ACTIVE_STATUS_FILTER = ['submitted', 'running'];

/**
 * Runs `body` against a fresh stand-in and always closes it afterwards, so
 * that concurrent tests never share or leak a server.
 */
export async function withStandIn<T>(
  options: StandInOptions,
  body: (service: StandInControlService) => Promise<T>
): Promise<T> {
  const service = await StandInControlService.start(options);
  try {
    return await body(service);
  } finally {
    await service.close();
  }
}

/** Inputs of a check of JOB_NAME of TEAM against `service`. */
export function checkInputs(
  service: StandInControlService,
  more: Record<string, string> = {}
): Record<string, string> {
  return {
    'job-name': JOB_NAME,
    team: TEAM,
    'api-url': service.baseUrl,
    ...more
  };
}

export function packageVersion(): string {
  const manifest: unknown = JSON.parse(
    readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')
  );
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    !('version' in manifest) ||
    typeof manifest.version !== 'string'
  ) {
    throw new Error('package.json has no version.');
  }
  return manifest.version;
}

/** What VDK writes for a run that stood aside, byte for byte. */
export function expectedTerminationMessage(): string {
  return `{"vdk_version":"${packageVersion()}","status":"Skipped"}`;
}

/** Outputs of a run that went ahead after a completed check. */
export function wentAhead(): Record<string, string> {
  return {
    skipped: 'false',
    reason: 'no-other-execution',
    'blocking-execution-id': '',
    'termination-message-path': ''
  };
}

/** The default termination message file of `run`. */
export function defaultTerminationPath(run: ActionRun): string {
  return path.join(run.directories.runnerTemp, 'vdk-termination-log.json');
}

/** Outputs of a run that stood aside for `blockingId`. */
export function stoodAsideFor(
  blockingId: string,
  terminationPath: string
): Record<string, string> {
  return {
    skipped: 'true',
    reason: 'other-execution-running',
    'blocking-execution-id': blockingId,
    'termination-message-path': terminationPath
  };
}

/** Outputs of a run whose check failed under on-error: proceed. */
export function checkFailedGoingAhead(): Record<string, string> {
  return {
    skipped: 'false',
    reason: 'check-failed',
    'blocking-execution-id': '',
    'termination-message-path': ''
  };
}

/** Outputs of a run whose check failed under on-error: skip. */
export function checkFailedStandingAside(
  terminationPath: string
): Record<string, string> {
  return {
    skipped: 'true',
    reason: 'check-failed',
    'blocking-execution-id': '',
    'termination-message-path': terminationPath
  };
}

/** A sign-in page, as an ingress in front of the service may answer. */
export const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in</title></head>
<body><form method="post" action="/login"><input name="user"></form></body>
</html>`;

/** Lines of the whole log, files included, that give `secret` away. */
export function linesRevealing(run: ActionRun, secret: string): string[] {
  const everything = [
    run.stdout,
    run.stderr,
    run.stepSummary,
    ...Object.values(run.outputs)
  ].join('\n');
  return everything
    .split('\n')
    .filter(
      (line) => line.includes(secret) && !line.startsWith('::add-mask::')
    );
}

/** Everything a test needs to see when a run ends unexpectedly. */
export function describeRun(run: ActionRun): string {
  return [
    `exit code ${String(run.exitCode)}, signal ${String(run.signal)}`,
    `--- stdout ---\n${run.stdout}`,
    `--- stderr ---\n${run.stderr}`
  ].join('\n');
}
