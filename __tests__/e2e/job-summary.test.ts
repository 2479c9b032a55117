import { afterAll, describe, test } from 'vitest';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction,
  type ActionRun,
  type NodeBinary
} from '../support/run-action.js';
import {
  JOB_NAME,
  TEAM,
  checkInputs,
  describeRun,
  withStandIn
} from '../support/scenario.js';
import {
  buildExecution,
  executionList,
  type CannedResponse,
  type ServiceExecution
} from '../support/stand-in-control-service.js';

const THIS_SERVICE_ID = 'ingest-sales-1764835200';
const THIS_POD_ID = `${THIS_SERVICE_ID}-x7k2p`;

const older = buildExecution({
  id: 'ingest-sales-1764831600',
  start_time: '2025-12-04T07:00:00Z',
  logs_url: 'http://logs.example.com/ingest-sales-1764831600'
});
const self = buildExecution({
  id: THIS_SERVICE_ID,
  start_time: '2025-12-04T08:00:00Z',
  logs_url: 'https://logs.example.com/ingest-sales-1764835200'
});
const newer = buildExecution({
  id: 'ingest-sales-1764838800',
  status: 'submitted',
  type: 'manual',
  started_by: 'manual/alice',
  start_time: '2025-12-04T09:00:00Z'
});
const finished = buildExecution({
  id: 'ingest-sales-1764828000',
  status: 'succeeded',
  start_time: '2025-12-04T06:00:00Z'
});

const TABLE_HEADER = [
  'Execution',
  'Status',
  'Type',
  'Started',
  'Started by',
  'Logs'
];

/** Tags the summary may contain; anything else came from the service. */
const SUMMARY_TAGS = new Set([
  'h3',
  'p',
  'strong',
  'code',
  'table',
  'tr',
  'th',
  'td',
  'a'
]);

/** The cells of every table row, as HTML, header row first. */
function tableRows(summary: string): string[][] {
  return [...summary.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map(
      (cell) => cell[1] ?? ''
    )
  );
}

/** The line that carries the verdict, right under the heading. */
function headline(summary: string): string {
  return summary.split('\n')[1] ?? '';
}

function tagNames(summary: string): string[] {
  return [...summary.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map((match) =>
    (match[1] ?? '').toLowerCase()
  );
}

function hrefs(summary: string): string[] {
  return [...summary.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
}

/**
 * True when GitHub renders the summary as one HTML block, so that no text
 * inside it is read as Markdown: a block that opens with a block-level tag
 * runs up to the first blank line (CommonMark, HTML blocks of kind 6).
 */
function isOneHtmlBlock(summary: string): boolean {
  const body = summary.trimEnd();
  return (
    body.startsWith('<h3>') && !/(\r\n|\r|\n)[ \t]*(\r\n|\r|\n)/.test(body)
  );
}

async function summaryOf(
  node: NodeBinary,
  response: CannedResponse,
  inputs: Record<string, string>
): Promise<{ run: ActionRun; requestCount: number }> {
  return withStandIn({ responses: [response] }, async (service) => {
    const run = await runAction({ node, inputs: checkInputs(service, inputs) });
    return { run, requestCount: service.requests.length };
  });
}

function listed(...executions: ServiceExecution[]): CannedResponse {
  return executionList(executions);
}

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('job summary on $label', (node) => {
  describe.concurrent('the decision and the active executions', () => {
    test('stood aside: verdict and reason in one line, the table marks this run and the blocker', async ({
      expect
    }) => {
      const { run } = await summaryOf(
        node,
        listed(newer, self, finished, older),
        { 'execution-id': THIS_POD_ID }
      );
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs['skipped']).toBe('true');
      const summary = run.stepSummary;
      expect(summary.split('\n')[0]).toBe('<h3>VDK execution skip</h3>');
      const verdict = headline(summary);
      expect(verdict).toContain('Stood aside');
      expect(verdict).toContain('other-execution-running');
      expect(verdict).toContain(`<code>${older.id!}</code>`);
      expect(verdict).toContain(`<code>${JOB_NAME}</code>`);
      expect(verdict).toContain(`<code>${TEAM}</code>`);

      const [header, ...rows] = tableRows(summary);
      expect(header).toEqual(TABLE_HEADER);
      // Oldest first; the finished execution is not active and not shown.
      expect(rows).toHaveLength(3);
      const [blockerRow, selfRow, newerRow] = rows as [
        string[],
        string[],
        string[]
      ];
      expect(blockerRow[0]).toContain(`<code>${older.id!}</code>`);
      expect(blockerRow[0]).toContain('blocks this run');
      expect(blockerRow.slice(1)).toEqual([
        'running',
        'scheduled',
        '2025-12-04T07:00:00Z',
        'scheduled/runtime',
        `<a href="${older.logs_url!}">logs</a>`
      ]);
      expect(selfRow[0]).toContain(`<code>${THIS_SERVICE_ID}</code>`);
      expect(selfRow[0]).toContain('this run');
      expect(selfRow[0]).not.toContain('blocks');
      expect(selfRow[5]).toBe(`<a href="${self.logs_url!}">logs</a>`);
      expect(newerRow).toEqual([
        `<code>${newer.id!}</code>`,
        'submitted',
        'manual',
        '2025-12-04T09:00:00Z',
        'manual/alice',
        ''
      ]);
      expect(summary).not.toContain(finished.id!);
      expect(isOneHtmlBlock(summary)).toBe(true);
    });

    test('went ahead as the oldest: nothing is marked as blocking', async ({
      expect
    }) => {
      const { run } = await summaryOf(node, listed(newer, self), {
        'execution-id': THIS_POD_ID
      });
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs['skipped']).toBe('false');
      const verdict = headline(run.stepSummary);
      expect(verdict).toContain('Went ahead');
      expect(verdict).toContain('no-other-execution');
      const [, ...rows] = tableRows(run.stepSummary);
      expect(rows.map((row) => row[0])).toEqual([
        expect.stringContaining('this run'),
        `<code>${newer.id!}</code>`
      ]);
      expect(run.stepSummary).not.toContain('blocks this run');
    });

    test('went ahead with nothing active: says so instead of a table', async ({
      expect
    }) => {
      const { run } = await summaryOf(node, listed(finished), {
        'execution-id': THIS_POD_ID
      });
      expect(run.exitCode, describeRun(run)).toBe(0);
      const verdict = headline(run.stepSummary);
      expect(verdict).toContain('Went ahead');
      expect(verdict).toContain('no-other-execution');
      expect(run.stepSummary).toContain('No execution is submitted or running');
      expect(run.stepSummary).not.toContain('<table>');
    });

    test.for([
      ['proceed', 'Went ahead', 'false'],
      ['skip', 'Stood aside', 'true']
    ] as const)(
      'check failed under on-error %s: the verdict, the reason and the escaped cause',
      async ([onError, verdictWords, skipped], { expect }) => {
        const maintenancePage: CannedResponse = {
          status: 503,
          headers: { 'content-type': 'text/plain' },
          body: 'Down for maintenance <script>alert(1)</script> **now**'
        };
        const { run } = await summaryOf(node, maintenancePage, {
          'on-error': onError,
          'http-retries': '0'
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs['skipped']).toBe(skipped);
        const verdict = headline(run.stepSummary);
        expect(verdict).toContain(verdictWords);
        expect(verdict).toContain('check-failed');
        expect(verdict).toContain(onError);
        expect(verdict).toContain('503');
        expect(verdict).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(run.stepSummary).not.toContain('<script');
        expect(run.stepSummary).not.toContain('<table>');
      }
    );

    test('check disabled: went ahead, no request, no table', async ({
      expect
    }) => {
      const { run, requestCount } = await summaryOf(node, listed(older), {
        enabled: 'false'
      });
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(requestCount).toBe(0);
      const verdict = headline(run.stepSummary);
      expect(verdict).toContain('Went ahead');
      expect(verdict).toContain('check-disabled');
      expect(run.stepSummary).not.toContain('<table>');
    });

    test('job-summary false writes nothing to the step summary', async ({
      expect
    }) => {
      const { run } = await summaryOf(node, listed(older), {
        'job-summary': 'false'
      });
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs['skipped']).toBe('true');
      expect(run.stepSummary).toBe('');
    });
  });

  describe.concurrent(
    'values from the service are shown, never interpreted',
    () => {
      const hostileBlocker = buildExecution({
        id: 'ingest-<script>alert(1)</script>-`x`',
        start_time: '2025-12-04T07:00:00Z',
        started_by: '<img src=x onerror=alert(1)> **bold** "quoted" \'single\'',
        type: '| md | table | [link](http://x)',
        logs_url: 'javascript:alert(1)'
      });
      const hostileSecond = buildExecution({
        id: 'ingest-sales-1764838800',
        status: 'running',
        start_time: '<iframe src=x>',
        started_by: '[link](http://x) ``code`` ~~strike~~',
        type: '<b>manual</b>',
        logs_url: 'https://logs.example.com/?q="><script>alert(2)</script>'
      });
      const hostileInactive = buildExecution({
        id: 'ingest-<svg onload=alert(3)>',
        status: '<b>running</b>',
        start_time: '2025-12-04T06:00:00Z'
      });

      test('HTML, Markdown and link syntax in every field appear escaped', async ({
        expect
      }) => {
        const { run } = await summaryOf(
          node,
          listed(hostileSecond, hostileInactive, self, hostileBlocker),
          { 'execution-id': THIS_POD_ID }
        );
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs['blocking-execution-id']).toBe(hostileBlocker.id);
        const summary = run.stepSummary;

        for (const tag of tagNames(summary)) {
          expect(SUMMARY_TAGS, `tag <${tag}> in the summary`).toContain(tag);
        }
        for (const raw of ['<script', '<img', '<iframe', '<svg', '<b>']) {
          expect(summary).not.toContain(raw);
        }
        expect(summary).toContain(
          '<code>ingest-&lt;script&gt;alert(1)&lt;/script&gt;-`x`</code>'
        );
        expect(summary).toContain(
          '&lt;img src=x onerror=alert(1)&gt; **bold** &quot;quoted&quot; &#39;single&#39;'
        );
        expect(summary).toContain('| md | table | [link](http://x)');
        expect(summary).toContain('&lt;b&gt;manual&lt;/b&gt;');
        expect(summary).toContain('&lt;iframe src=x&gt;');

        // Only a web address becomes a link, and its quotes cannot close the
        // attribute.
        expect(summary).not.toContain('javascript:');
        expect(hrefs(summary)).toEqual([
          self.logs_url,
          'https://logs.example.com/?q=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;'
        ]);
        const [, ...rows] = tableRows(summary);
        const blockerRow = rows.find((row) => row[0]?.includes('blocks'));
        expect(blockerRow?.[5]).toBe('');

        // An inactive status is neither listed nor repeated anywhere.
        expect(summary).not.toContain('svg');
        expect(isOneHtmlBlock(summary)).toBe(true);
      });

      test('a blank line in a service value does not end the HTML block', async ({
        expect
      }) => {
        // Whoever starts an execution chooses started_by; a blank line would
        // end GitHub's HTML block and hand the rest to the Markdown renderer.
        const smuggler = buildExecution({
          id: 'ingest-sales-1764831600',
          start_time: '2025-12-04T07:00:00Z',
          started_by:
            'eve\n\n**bold** [link](http://x)\n\n| a | b |\n|---|---|',
          type: 'manual\r\n\r\n# heading'
        });
        const { run } = await summaryOf(node, listed(smuggler), {
          'execution-id': THIS_POD_ID
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs['skipped']).toBe('true');
        expect(run.stepSummary).toContain('**bold** [link](http://x)');
        expect(isOneHtmlBlock(run.stepSummary), run.stepSummary).toBe(true);
      });
    }
  );
});
