import { describe, expect, it } from 'vitest';
import { describeErrorBody, executionsUrl } from '../../src/control-service.js';

describe('executionsUrl', () => {
  it('keeps the base path without doubling the slash', () => {
    for (const base of ['https://h/control', 'https://h/control/']) {
      expect(executionsUrl(new URL(base), 'sales', 'ingest').href).toBe(
        'https://h/control/data-jobs/for-team/sales/jobs/ingest/executions' +
          '?execution_status=submitted&execution_status=running'
      );
    }
  });

  it('encodes each name as one path segment', () => {
    const url = executionsUrl(
      new URL('http://127.0.0.1:8092'),
      'team a/b',
      'job#1?x'
    );
    expect(url.pathname).toBe(
      '/data-jobs/for-team/team%20a%2Fb/jobs/job%231%3Fx/executions'
    );
    expect(url.hash).toBe('');
  });
});

describe('describeErrorBody', () => {
  it("reads VDK's what and why", () => {
    expect(
      describeErrorBody(
        JSON.stringify({
          what: 'Cannot find job',
          why: 'No such job',
          consequences: 'x',
          countermeasures: 'y'
        })
      )
    ).toBe('Cannot find job — No such job');
  });

  it('reads the OpenAPI messages list', () => {
    expect(
      describeErrorBody(JSON.stringify({ messages: ['one', ' two '] }))
    ).toBe('one — two');
  });

  it('names an HTML page without quoting it', () => {
    expect(describeErrorBody('<html><body>Login</body></html>')).toBe(
      'the body is an HTML page'
    );
  });

  it('shortens long plain text to one line', () => {
    const text = describeErrorBody(`bad\n${'x'.repeat(1000)}`);
    expect(text.startsWith('body: bad x')).toBe(true);
    expect(text.length).toBeLessThan(320);
  });

  it('says nothing for an empty or shapeless body', () => {
    expect(describeErrorBody('')).toBe('');
    expect(describeErrorBody('[1,2]')).toBe('');
    expect(describeErrorBody('{"what": 3}')).toBe('');
  });
});
