import { request as httpRequest, Agent } from 'node:http';
import { afterAll, describe, expect, test } from 'vitest';
import {
  createRunDirectories,
  inputVariableName,
  nodeBinaries,
  parseOutputFile,
  parseWorkflowCommands,
  readActionInputs,
  removeRunDirectories,
  runAction,
  runnerEnvironment,
  runnerNode,
  runnerNodeMajor
} from '../support/run-action.js';
import { checkInputs, withStandIn, wentAhead } from '../support/scenario.js';
import { executionList } from '../support/stand-in-control-service.js';

const PARENT_ONLY_VARIABLES = {
  VDK_API_TOKEN: 'parent-token-must-not-leak',
  VDK_EXECUTION_SKIP_CHECKER_ENABLED: 'false',
  VDK_CONTROL_SERVICE_REST_API_URL: 'http://127.0.0.1:9/parent',
  HTTP_PROXY: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '*'
};

afterAll(removeRunDirectories);

describe('the test harness', () => {
  test('tests two different node majors: the machine’s and the runner’s 24', () => {
    const majors = nodeBinaries().map((binary) => binary.majorVersion);
    expect(majors).toHaveLength(2);
    expect(new Set(majors).size).toBe(2);
    expect(majors).toContain(runnerNodeMajor());
    expect(runnerNodeMajor()).toBe(24);
    for (const binary of nodeBinaries()) {
      expect(binary.path.split('/')).not.toContain('.bin');
    }
  });

  test('names inputs as the runner does: upper case, dashes kept, spaces to _', () => {
    expect(inputVariableName('job-name')).toBe('INPUT_JOB-NAME');
    expect(inputVariableName('http timeout')).toBe('INPUT_HTTP_TIMEOUT');
  });

  test('reads every input of action.yml with its default', () => {
    const inputs = readActionInputs();
    const byName = new Map(inputs.map((input) => [input.name, input]));
    expect(byName.get('job-name')).toEqual({
      name: 'job-name',
      defaultValue: '',
      required: true
    });
    expect(byName.get('on-error')?.defaultValue).toBe('proceed');
  });

  test('parses heredoc and one-line entries of GITHUB_OUTPUT', () => {
    const file = [
      'skipped<<ghadelimiter_1',
      'true',
      'ghadelimiter_1',
      'note<<ghadelimiter_2',
      'first line',
      'second line',
      'ghadelimiter_2',
      'empty<<ghadelimiter_3',
      '',
      'ghadelimiter_3',
      'reason=no-other-execution',
      ''
    ].join('\n');
    expect(parseOutputFile(file)).toEqual({
      skipped: 'true',
      note: 'first line\nsecond line',
      empty: '',
      reason: 'no-other-execution'
    });
    expect(() => parseOutputFile('broken<<end\nvalue\n')).toThrow(/end/);
  });

  test('unescapes workflow command data and properties', () => {
    const [warning, mask] = parseWorkflowCommands(
      [
        'plain log line',
        '::warning title=a%3Ab%2Cc::100%25 sure%0Anext line',
        '::add-mask::p%25ss'
      ].join('\n')
    );
    expect(warning).toEqual({
      name: 'warning',
      properties: { title: 'a:b,c' },
      message: '100% sure\nnext line'
    });
    expect(mask).toEqual({ name: 'add-mask', properties: {}, message: 'p%ss' });
  });

  test('the keep-alive stand-in really leaves idle connections open', async () => {
    await withStandIn(
      { responses: [executionList([])], keepIdleConnectionsForever: true },
      async (service) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          await new Promise<void>((resolve, reject) => {
            httpRequest(`${service.baseUrl}/`, { agent }, (response) => {
              response.resume();
              response.on('end', resolve);
            })
              .on('error', reject)
              .end();
          });
          // Node's own servers drop idle connections after 5 s (plus a 1 s
          // grace on Node 24); outlasting that shows this one never does.
          await new Promise((resolve) => setTimeout(resolve, 7_000));
          expect(service.openConnectionCount).toBe(1);
        } finally {
          agent.destroy();
        }
      }
    );
  });

  test('gives the step a clean environment: no VDK_* or proxy variables of the parent', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, PARENT_ONLY_VARIABLES);
    try {
      const environment = runnerEnvironment(
        { node: runnerNode(), inputs: { team: 'data-platform' } },
        await createRunDirectories()
      );
      const names = Object.keys(environment);
      expect(names.filter((name) => /^VDK_|proxy/i.test(name))).toEqual([]);
      expect(environment['INPUT_TEAM']).toBe('data-platform');
      expect(environment['INPUT_ON-ERROR']).toBe('proceed');
      expect(environment['INPUT_EXECUTION-ID']).toBe('');
      // And for real: the check runs, unauthenticated, against the stand-in.
      await withStandIn({ responses: [executionList([])] }, async (service) => {
        const run = await runAction({
          node: runnerNode(),
          inputs: checkInputs(service)
        });
        expect(run.outputs).toEqual(wentAhead());
        expect(service.requests).toHaveLength(1);
        expect(service.requests[0]!.headers).not.toHaveProperty(
          'authorization'
        );
      });
    } finally {
      for (const name of Object.keys(PARENT_ONLY_VARIABLES)) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
