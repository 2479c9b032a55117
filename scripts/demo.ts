// Shows the action deciding for a second execution of a data job while the
// first one is still running. Everything stays on this machine: the Control
// Service is a stand-in on 127.0.0.1 and the action is the committed
// dist/index.js, started the way the GitHub runner starts it.
import { promises as fs } from 'node:fs';
import {
  removeRunDirectories,
  runAction,
  runnerNode
} from '../__tests__/support/run-action.js';
import { checkInputs, JOB_NAME, TEAM } from '../__tests__/support/scenario.js';
import {
  buildExecution,
  executionList,
  StandInControlService
} from '../__tests__/support/stand-in-control-service.js';

const FIVE_MINUTES_MS = 5 * 60 * 1000;

function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

function indented(text: string): string {
  return text
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n');
}

const startedAt = new Date(Date.now() - FIVE_MINUTES_MS);
const firstExecution = buildExecution({
  id: `${JOB_NAME}-${Math.floor(startedAt.getTime() / 1000)}`,
  job_name: JOB_NAME,
  start_time: startedAt.toISOString()
});
// This run started now; the service lists it under its own id, while the
// run knows itself by its pod name: that id plus a Kubernetes suffix.
const now = new Date();
const secondExecution = buildExecution({
  id: `${JOB_NAME}-${Math.floor(now.getTime() / 1000)}`,
  job_name: JOB_NAME,
  start_time: now.toISOString()
});
const thisExecutionId = `${secondExecution.id ?? ''}-x7k2p`;

const service = await StandInControlService.start({
  responses: [executionList([secondExecution, firstExecution])]
});
try {
  heading('Control Service stand-in');
  console.log(`Listening at ${service.baseUrl}`);
  console.log(`Data job ${JOB_NAME} of team ${TEAM} has two executions:`);
  for (const execution of [firstExecution, secondExecution]) {
    console.log(
      `   ${execution.id ?? ''} ${execution.status ?? ''} since ${execution.start_time ?? ''}`
    );
  }

  heading('Running dist/index.js as a second execution');
  const node = runnerNode();
  console.log(`Node: ${node.label}, execution-id: ${thisExecutionId}`);
  const run = await runAction({
    node,
    inputs: checkInputs(service, { 'execution-id': thisExecutionId })
  });

  heading("The action's log (debug lines left out)");
  const visible = run.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('::debug::'));
  console.log(indented(visible.join('\n')));
  if (run.stderr.trim() !== '') {
    heading('Standard error');
    console.log(indented(run.stderr.trimEnd()));
  }

  heading('Decision');
  const skipped = run.outputs['skipped'] === 'true';
  console.log(
    skipped
      ? `Stand aside: ${run.outputs['blocking-execution-id'] ?? ''} is older and still active.`
      : `Go ahead (${run.outputs['reason'] ?? 'no reason given'}).`
  );
  console.log(
    `Exit code ${String(run.exitCode)}, ${service.requests.length} request(s) to the Control Service, ${Math.round(run.durationMs)} ms.`
  );

  heading('Outputs');
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`   ${name} = ${JSON.stringify(value)}`);
  }

  heading('Termination message file');
  const terminationPath = run.outputs['termination-message-path'] ?? '';
  if (terminationPath === '') {
    console.log('   (none written)');
  } else {
    console.log(`   ${terminationPath}`);
    console.log(indented(await fs.readFile(terminationPath, 'utf8')));
  }

  if (run.exitCode !== 0) process.exitCode = 1;
} finally {
  await service.close();
  await removeRunDirectories();
  heading('Stand-in stopped');
}
