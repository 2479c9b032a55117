import { promises as fs } from 'node:fs';
import { afterAll, describe, test } from 'vitest';
import {
  nodeBinaries,
  removeRunDirectories,
  runAction
} from '../support/run-action.js';
import {
  checkFailedGoingAhead,
  checkFailedStandingAside,
  checkInputs,
  defaultTerminationPath,
  describeRun,
  expectedTerminationMessage,
  LOGIN_PAGE,
  stoodAsideFor,
  wentAhead,
  withStandIn
} from '../support/scenario.js';
import {
  buildExecution,
  executionList,
  jsonResponse,
  serverError,
  type CannedResponse
} from '../support/stand-in-control-service.js';

const vdkError = (status: number): CannedResponse =>
  jsonResponse(
    {
      what: 'Cannot list the executions of the data job',
      why: `The stand-in was told to answer ${status}`,
      consequences: 'Nothing was listed',
      countermeasures: 'Check the team and job name'
    },
    status
  );

const openApiError = (status: number): CannedResponse =>
  jsonResponse(
    {
      messages: [
        'Data job ingest-sales not found',
        'Team data-platform has no such job'
      ]
    },
    status
  );

afterAll(removeRunDirectories);

describe.each(nodeBinaries())('failures on $label', (node) => {
  describe.concurrent('server errors and retries', () => {
    test('a 5xx answer is retried and the next answer decides', async ({
      expect
    }) => {
      const other = buildExecution({ id: 'ingest-sales-1764831600' });
      await withStandIn(
        { responses: [serverError(503), executionList([other])] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, { 'http-retries': '2' })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(service.requests).toHaveLength(2);
          expect(run.outputs).toEqual(
            stoodAsideFor(other.id!, defaultTerminationPath(run))
          );
          expect(run.warnings).toEqual([]);
        }
      );
    });

    test('a dropped connection is retried', async ({ expect }) => {
      await withStandIn(
        { responses: [{ hangUp: true }, executionList([])] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, { 'http-retries': '1' })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(service.requests).toHaveLength(2);
          expect(run.outputs).toEqual(wentAhead());
        }
      );
    });

    test('persistent 5xx with on-error: proceed goes ahead with a warning', async ({
      expect
    }) => {
      await withStandIn({ responses: [serverError(502)] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'http-retries': '1',
            'on-error': 'proceed'
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(service.requests).toHaveLength(2);
        expect(run.outputs).toEqual(checkFailedGoingAhead());
        expect(run.warnings).toHaveLength(1);
        expect(run.warnings[0]).toContain('502');
        expect(run.errors).toEqual([]);
        expect(
          await fs.readFile(defaultTerminationPath(run)).catch(() => null)
        ).toBeNull();
      });
    });

    test('persistent 5xx with on-error: skip stands aside and writes the termination message', async ({
      expect
    }) => {
      await withStandIn({ responses: [serverError(500)] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'http-retries': '1',
            'on-error': 'skip'
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(service.requests).toHaveLength(2);
        const terminationPath = defaultTerminationPath(run);
        expect(run.outputs).toEqual(checkFailedStandingAside(terminationPath));
        expect(run.warnings).toHaveLength(1);
        expect(run.warnings[0]).toContain('500');
        expect(await fs.readFile(terminationPath, 'utf8')).toBe(
          expectedTerminationMessage()
        );
      });
    });

    test('persistent 5xx with on-error: fail fails the step', async ({
      expect
    }) => {
      await withStandIn({ responses: [serverError(504)] }, async (service) => {
        const run = await runAction({
          node,
          inputs: checkInputs(service, {
            'http-retries': '2',
            'on-error': 'fail'
          })
        });
        expect(run.exitCode, describeRun(run)).toBe(1);
        expect(service.requests).toHaveLength(3);
        expect(run.errors).toHaveLength(1);
        expect(run.errors[0]).toContain('504');
        expect(run.outputs).toEqual({ reason: 'check-failed' });
      });
    });

    test('with the default http-retries a failing service is asked four times', async ({
      expect
    }) => {
      await withStandIn({ responses: [serverError(503)] }, async (service) => {
        const run = await runAction({ node, inputs: checkInputs(service) });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(service.requests).toHaveLength(4);
        expect(run.outputs).toEqual(checkFailedGoingAhead());
        expect(run.warnings[0]).toContain('503');
        // Backoff is bounded: three waits of at most 0.5, 1 and 2 s.
        expect(run.durationMs).toBeLessThan(20_000);
      });
    });
  });

  describe.concurrent('error answers are not retried', () => {
    const vdkTexts = (status: number): string[] => [
      'Cannot list the executions of the data job',
      `The stand-in was told to answer ${status}`
    ];
    const openApiTexts = [
      'Data job ingest-sales not found',
      'Team data-platform has no such job'
    ];
    const cases = [401, 404].flatMap((status) => [
      {
        status,
        shape: 'VDK what/why',
        answer: vdkError(status),
        texts: vdkTexts(status)
      },
      {
        status,
        shape: 'OpenAPI messages',
        answer: openApiError(status),
        texts: openApiTexts
      }
    ]);

    test.for(cases)(
      '$status with a $shape body: one request, a warning that says why',
      async ({ status, answer, texts }, { expect }) => {
        await withStandIn({ responses: [answer] }, async (service) => {
          const run = await runAction({ node, inputs: checkInputs(service) });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(service.requests).toHaveLength(1);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings).toHaveLength(1);
          const warning = run.warnings[0]!;
          expect(warning).toContain(String(status));
          for (const text of texts) expect(warning).toContain(text);
        });
      }
    );
  });

  describe.concurrent('answers that are not a list of executions', () => {
    const cases: { kind: string; answer: CannedResponse; says: RegExp }[] = [
      {
        kind: 'malformed JSON',
        answer: {
          headers: { 'content-type': 'application/json' },
          body: '[{"id": "ingest-sales-1764831600", "status": "runn'
        },
        says: /not JSON/i
      },
      {
        kind: 'a JSON object',
        answer: jsonResponse({ executions: [] }),
        says: /object/i
      },
      {
        kind: 'an HTML login page',
        answer: {
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: LOGIN_PAGE
        },
        says: /HTML/i
      }
    ];

    test.for(cases)(
      '$kind: the check fails and the run goes ahead with a warning',
      async ({ answer, says }, { expect }) => {
        await withStandIn({ responses: [answer] }, async (service) => {
          const run = await runAction({ node, inputs: checkInputs(service) });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(service.requests).toHaveLength(1);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings).toHaveLength(1);
          expect(run.warnings[0]).toMatch(says);
        });
      }
    );

    test('a redirect to a login page is followed and recognised', async ({
      expect
    }) => {
      await withStandIn(
        {
          handler: (request): CannedResponse =>
            request.rawUrl.startsWith('/login')
              ? { headers: { 'content-type': 'text/html' }, body: LOGIN_PAGE }
              : {
                  status: 302,
                  // Ingresses send an absolute URL back to themselves.
                  headers: {
                    location: `http://${request.headers.host ?? ''}/login`
                  }
                }
        },
        async (service) => {
          const run = await runAction({ node, inputs: checkInputs(service) });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(service.requests.map((request) => request.rawUrl)).toEqual([
            expect.stringMatching(/\/executions\?/),
            '/login'
          ]);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings[0]).toMatch(/HTML/);
        }
      );
    });
  });

  describe.concurrent('redirects', () => {
    test('a relative Location is resolved and followed', async ({ expect }) => {
      await withStandIn(
        {
          handler: (request): CannedResponse =>
            request.rawUrl.startsWith('/moved/')
              ? executionList([])
              : {
                  status: 307,
                  headers: { location: `/moved${request.rawUrl}` }
                }
        },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, { 'api-token': 'redirect-token' })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(wentAhead());
          expect(service.requests).toHaveLength(2);
          // Same origin: the token follows the redirect.
          expect(service.requests[1]?.headers.authorization).toBe(
            'Bearer redirect-token'
          );
        }
      );
    });

    test('the token is not sent to another origin', async ({ expect }) => {
      await withStandIn(
        { responses: [executionList([])] },
        async (elsewhere) => {
          await withStandIn(
            {
              handler: (request): CannedResponse => ({
                status: 302,
                headers: { location: `${elsewhere.baseUrl}${request.rawUrl}` }
              })
            },
            async (service) => {
              const run = await runAction({
                node,
                inputs: checkInputs(service, { 'api-token': 'origin-token' })
              });
              expect(run.exitCode, describeRun(run)).toBe(0);
              expect(run.outputs).toEqual(wentAhead());
              expect(service.requests[0]?.headers.authorization).toBe(
                'Bearer origin-token'
              );
              expect(elsewhere.requests).toHaveLength(1);
              expect(
                elsewhere.requests[0]?.headers.authorization
              ).toBeUndefined();
            }
          );
        }
      );
    });

    test('a redirect to another scheme is refused', async ({ expect }) => {
      await withStandIn(
        {
          handler: (request): CannedResponse => ({
            status: 302,
            headers: {
              location: `ftp://${request.headers.host ?? ''}/elsewhere`
            }
          })
        },
        async (service) => {
          const run = await runAction({ node, inputs: checkInputs(service) });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(service.requests).toHaveLength(1);
          expect(run.warnings[0]).toContain('ftp://');
        }
      );
    });

    test('endless redirects end the check without retries', async ({
      expect
    }) => {
      await withStandIn(
        {
          handler: (request): CannedResponse => ({
            status: 302,
            headers: { location: `${request.rawUrl}&again` }
          })
        },
        async (service) => {
          const run = await runAction({ node, inputs: checkInputs(service) });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          // The first request and five redirects, in one attempt.
          expect(service.requests).toHaveLength(6);
          expect(run.warnings[0]).toContain('redirects');
        }
      );
    });
  });

  describe.concurrent('oversized answers', () => {
    test('an answer over 32 MiB is a failed check, not a crash', async ({
      expect
    }) => {
      const padding = ' '.repeat(32 * 1024 * 1024);
      await withStandIn(
        { responses: [{ status: 200, body: `${padding}[]` }] },
        async (service) => {
          const run = await runAction({ node, inputs: checkInputs(service) });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings[0]).toContain('32 MiB');
          // Not worth retrying: the next answer would be as large.
          expect(service.requests).toHaveLength(1);
        }
      );
    });
  });

  describe.concurrent('slow and silent services', () => {
    test('an answer within the deadline is waited for', async ({ expect }) => {
      await withStandIn(
        { responses: [{ ...executionList([]), delayMs: 1_200 }] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'http-timeout-seconds': '5',
              'http-retries': '0'
            })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.outputs).toEqual(wentAhead());
          expect(service.requests).toHaveLength(1);
        }
      );
    });

    test('an attempt past the deadline is cut off and retried', async ({
      expect
    }) => {
      await withStandIn(
        {
          responses: [
            { ...executionList([]), delayMs: 4_000 },
            executionList([buildExecution({ id: 'ingest-sales-1764831600' })])
          ]
        },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'http-timeout-seconds': '1',
              'http-retries': '1'
            })
          });
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(service.requests).toHaveLength(2);
          expect(run.outputs).toEqual(
            stoodAsideFor(
              'ingest-sales-1764831600',
              defaultTerminationPath(run)
            )
          );
        }
      );
    });

    test('a service that never answers: the run ends in bounded time as check-failed', async ({
      expect
    }) => {
      await withStandIn(
        { responses: [{ neverAnswer: true }] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'http-timeout-seconds': '1',
              'http-retries': '1'
            })
          });
          expect(run.killed).toBe(false);
          expect(run.exitCode, describeRun(run)).toBe(0);
          // Two one-second attempts and one short backoff, with room to spare.
          expect(run.durationMs).toBeLessThan(15_000);
          expect(service.requests).toHaveLength(2);
          // The first attempt was given its full second before the retry.
          const [first, second] = service.requests;
          expect(second!.receivedAtMs - first!.receivedAtMs).toBeGreaterThan(
            900
          );
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings).toHaveLength(1);
          expect(run.warnings[0]).toMatch(/\b1 s\b|timeout|timed out/i);
        }
      );
    });

    test('a body that trickles in forever is cut off at the deadline', async ({
      expect
    }) => {
      await withStandIn(
        { responses: [{ ...executionList([]), trickleEveryMs: 200 }] },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service, {
              'http-timeout-seconds': '1',
              'http-retries': '0'
            }),
            killAfterMs: 30_000
          });
          expect(run.killed).toBe(false);
          expect(run.exitCode, describeRun(run)).toBe(0);
          // Each byte keeps the socket busy, so only a deadline on the whole
          // attempt ends it; one second plus generous room.
          expect(run.durationMs).toBeLessThan(10_000);
          expect(service.requests).toHaveLength(1);
          expect(run.outputs).toEqual(checkFailedGoingAhead());
          expect(run.warnings).toHaveLength(1);
        }
      );
    });

    test('a server that keeps idle connections open does not hold the run', async ({
      expect
    }) => {
      await withStandIn(
        {
          responses: [executionList([])],
          keepIdleConnectionsForever: true
        },
        async (service) => {
          const run = await runAction({
            node,
            inputs: checkInputs(service),
            killAfterMs: 30_000
          });
          expect(run.killed).toBe(false);
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.durationMs).toBeLessThan(10_000);
          expect(run.outputs).toEqual(wentAhead());
        }
      );
    });
  });
});
