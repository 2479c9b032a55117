#!/usr/bin/env node
// @ts-check
// A stand-in VDK Control Service on 127.0.0.1 with one running execution, for
// the `uses: ./` job of .github/workflows/ci.yml and for trying the action by
// hand (see .env.example). Plain Node and no dependencies, so that a workflow
// job can start it the way a user's job would: without `npm ci`.
//
//   node scripts/stand-in-service.mjs [--port 0] [--job-name ingest-sales]
//       [--execution-id ingest-sales-1764806400] [--ready-file FILE]
//
// GET {any base path}/data-jobs/for-team/{team}/jobs/{job}/executions lists
// the running execution when {job} is --job-name, and nothing for any other
// job, so one stand-in answers both "busy" and "idle" checks. Once listening
// it prints its URL and, with --ready-file, writes it there. SIGTERM or
// SIGINT stops it.
import { renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const FIVE_MINUTES_MS = 5 * 60 * 1000;

const USAGE = `Usage: node scripts/stand-in-service.mjs [options]

A stand-in VDK Control Service on 127.0.0.1 with one running execution.

  --port N              port to listen on; 0 (the default) picks a free one
  --job-name NAME       the job whose executions list holds the running
                        execution (default ingest-sales); every other job
                        has none
  --execution-id ID     id of that execution (default: the job name and a
                        Unix time five minutes ago)
  --ready-file FILE     write the base URL there once listening
  --help                print this and exit

Point api-url (or --api-url) at the URL it prints. SIGTERM or Ctrl-C stops
it.`;

/** The flags, or the usage and exit code 2 when they are wrong. */
function parseFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'job-name': { type: 'string', default: 'ingest-sales' },
        'execution-id': { type: 'string' },
        'ready-file': { type: 'string' },
        help: { type: 'boolean', default: false }
      },
      strict: true
    }).values;
  } catch (thrown) {
    console.error(
      `${thrown instanceof Error ? thrown.message : String(thrown)}\n\n${USAGE}`
    );
    process.exit(2);
  }
}

const values = parseFlags();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `--port must be 0 to 65535, not ${JSON.stringify(values.port)}`
  );
  process.exit(2);
}
const jobName = values['job-name'];
// Started five minutes ago, so that it is older than any run checking now.
const startedAt = new Date(Date.now() - FIVE_MINUTES_MS);
const executionId =
  values['execution-id'] ??
  `${jobName}-${Math.floor(startedAt.getTime() / 1000)}`;

/** The running execution, in the Control Service's JSON shape. */
const runningExecution = {
  id: executionId,
  job_name: jobName,
  status: 'running',
  type: 'scheduled',
  start_time: startedAt.toISOString(),
  end_time: null,
  started_by: 'scheduled/runtime',
  logs_url: null,
  message: null,
  op_id: 'stand-in',
  deployment: null
};

const EXECUTIONS_PATH =
  /^(?:\/[^?]*)?\/data-jobs\/for-team\/([^/?]+)\/jobs\/([^/?]+)\/executions(?:\?.*)?$/;

/**
 * @param {http.ServerResponse} response
 * @param {number} status
 * @param {unknown} body
 */
function answer(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text))
  });
  response.end(text);
}

const server = http.createServer((request, response) => {
  const url = request.url ?? '';
  const match = EXECUTIONS_PATH.exec(url);
  let status = 200;
  if (request.method !== 'GET') {
    status = 405;
    answer(response, status, {
      what: 'The stand-in only answers GET.',
      why: `It got ${request.method ?? '(no method)'}.`
    });
  } else if (!match?.[2]) {
    status = 404;
    answer(response, status, {
      what: 'The stand-in knows no such path.',
      why: 'It only lists the executions of a data job.'
    });
  } else {
    const listed =
      decodeURIComponent(match[2]) === jobName ? [runningExecution] : [];
    answer(response, status, listed);
  }
  // One line a request, so that a CI log shows what the action asked.
  console.log(`${request.method ?? ''} ${url} -> ${status}`);
});

/** @param {NodeJS.Signals} signal */
function stop(signal) {
  console.log(`${signal}: stopping.`);
  server.close(() => process.exit(0));
  // Keep-alive connections would otherwise hold close() open.
  server.closeAllConnections();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${boundPort}`;
  console.log(`Listening at ${baseUrl}`);
  console.log(`Data job ${jobName}: ${executionId} is running.`);
  const readyFile = values['ready-file'];
  if (readyFile) {
    // Renamed into place, so that a waiting reader never sees half a URL.
    writeFileSync(`${readyFile}.partial`, `${baseUrl}\n`);
    renameSync(`${readyFile}.partial`, readyFile);
  }
});
