import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchangeApiToken } from './api-token.js';
import {
  DEFAULT_HTTP_RETRIES,
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  DEFAULT_POLL_INTERVAL_SECONDS
} from './constants.js';
import { ConfigurationError } from './errors.js';
import { fetchExecutions } from './control-service.js';
import { decide, type Decision } from './decision.js';
import { describeBlocking, listActive, logVerdict } from './decision-log.js';
import type { CallSettings } from './http.js';
import { silentLogger, type Logger } from './logger.js';
import { isInRange, lowerBound, RANGES, type Range } from './ranges.js';
import { parseHttpUrl } from './settings.js';
import { USER_AGENT } from './version.js';

export interface CheckerOptions {
  /**
   * Bearer access token, or a VDK API token when `apiTokenAuthorizationUrl`
   * is given; none sends no Authorization header.
   */
  apiToken?: string;
  /** Where a VDK API token is exchanged for an access token. */
  apiTokenAuthorizationUrl?: URL | null;
  /** Deadline of one attempt of a request; 30 s when not given. */
  httpTimeoutSeconds?: number;
  /** Further attempts after a failed one; 3 when not given. */
  httpRetries?: number;
  /** Where progress goes; nowhere when not given. */
  logger?: Logger;
}

export interface WaitOptions {
  /** How long to wait for older executions to end; 0 (the default) decides at once. */
  timeoutSeconds?: number;
  /** How long between two questions to the service; 15 by default, as in the action. */
  pollIntervalSeconds?: number;
}

export interface CheckResult extends Decision {
  /** Seconds spent waiting for older executions, 0 without wait mode. */
  waitedSeconds: number;
  /** Questions asked to the Control Service. */
  polls: number;
  /** The X-OPID sent with every request of this check. */
  operationId: string;
}

/**
 * `value`, or a ConfigurationError naming it and the range it misses: the
 * action's ranges, for library callers the inputs do not check.
 */
function requireInRange(name: string, value: number, range: Range): number {
  if (isInRange(value, range)) return value;
  const kind = range.wholeNumber ? 'a whole number' : 'a number';
  // JavaScript callers may pass anything: "5" must not read as 5.
  const shown =
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? JSON.stringify(value)
        : `of type ${typeof value}`;
  throw new ConfigurationError(
    `${name} is ${shown}: give ${kind} ${lowerBound(range)} and at most ${range.max}.`
  );
}

/**
 * Asks the VDK Control Service whether a data job execution must stand
 * aside because an older execution of the same job is submitted or running.
 * Failures to ask throw CheckFailedError; what to do then is the caller's.
 */
export class ConcurrentExecutionChecker {
  private readonly apiUrl: URL;
  private readonly options: CheckerOptions;
  private readonly logger: Logger;
  private accessToken: Promise<string> | null = null;
  /**
   * The X-OPID of the latest check, also when it failed, so that the
   * service's logs can be searched for it; '' before the first check.
   */
  lastOperationId = '';

  /**
   * @param apiUrl The Control Service REST API base URL, base path included.
   * @throws ConfigurationError when it is not an http(s) URL.
   */
  constructor(apiUrl: URL | string, options: CheckerOptions = {}) {
    this.apiUrl = parseHttpUrl(
      String(apiUrl),
      'the API URL',
      'base URL of the Control Service REST API',
      false
    );
    requireInRange(
      'httpTimeoutSeconds',
      options.httpTimeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS,
      RANGES.httpTimeoutSeconds
    );
    requireInRange(
      'httpRetries',
      options.httpRetries ?? DEFAULT_HTTP_RETRIES,
      RANGES.httpRetries
    );
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    if (options.apiToken) this.logger.mask(options.apiToken);
  }

  /**
   * True when another execution of the job is submitted or running and
   * comes before this one, as VDK's class of the same name answers.
   */
  async isJobExecutionRunning(
    jobName: string,
    team: string,
    executionId = ''
  ): Promise<boolean> {
    return (await this.check(jobName, team, executionId)).skip;
  }

  /**
   * The whole decision. With `wait`, asks again every poll interval while an
   * older execution is active, until none is left or waiting longer would
   * pass the timeout.
   */
  async check(
    jobName: string,
    team: string,
    executionId = '',
    wait: WaitOptions = {}
  ): Promise<CheckResult> {
    // null from a JavaScript caller means no wait options, as undefined does;
    // a bare number (seconds?) or a list is not an answer to guess.
    const options: unknown = wait ?? {};
    if (
      typeof options !== 'object' ||
      options === null ||
      Array.isArray(options)
    ) {
      throw new ConfigurationError(
        `The wait options are ${Array.isArray(options) ? 'a list' : `of type ${typeof options}`}: give an object such as { timeoutSeconds: 300, pollIntervalSeconds: 15 }.`
      );
    }
    const { timeoutSeconds: givenTimeout, pollIntervalSeconds: givenInterval } =
      options as WaitOptions;
    const timeoutSeconds = requireInRange(
      'timeoutSeconds',
      givenTimeout ?? 0,
      RANGES.waitTimeoutSeconds
    );
    const pollIntervalSeconds = requireInRange(
      'pollIntervalSeconds',
      givenInterval ?? DEFAULT_POLL_INTERVAL_SECONDS,
      RANGES.pollIntervalSeconds
    );
    const startedAt = Date.now();
    const waitMs = timeoutSeconds * 1000;
    const call: CallSettings = {
      userAgent: USER_AGENT,
      operationId: randomBytes(8).toString('hex'),
      timeoutSeconds:
        this.options.httpTimeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS,
      retries: this.options.httpRetries ?? DEFAULT_HTTP_RETRIES,
      logger: this.logger,
      // In wait mode no attempt starts after the wait is over, so that the
      // whole check ends within the wait plus one attempt's deadline.
      ...(waitMs > 0 ? { noAttemptAfter: startedAt + waitMs } : {})
    };
    this.lastOperationId = call.operationId;
    this.logger.info(`Operation id (X-OPID): ${call.operationId}`);
    const intervalMs = pollIntervalSeconds * 1000;
    for (let polls = 1; ; polls++) {
      const decision = await this.ask(jobName, team, executionId, call);
      const waitedMs = Date.now() - startedAt;
      const final = !decision.skip || waitedMs + intervalMs > waitMs;
      if (polls === 1 || final) listActive(decision, this.logger);
      if (final) {
        logVerdict(decision, executionId, this.logger);
        return {
          ...decision,
          waitedSeconds: waitMs > 0 ? Math.round(waitedMs / 100) / 10 : 0,
          polls,
          operationId: call.operationId
        };
      }
      this.logger.info(
        `Waiting for ${describeBlocking(decision)} to end: waited ${Math.round(waitedMs / 1000)} s of ${timeoutSeconds} s; asking again in ${pollIntervalSeconds} s.`
      );
      await sleep(intervalMs);
    }
  }

  private async ask(
    jobName: string,
    team: string,
    executionId: string,
    call: CallSettings
  ): Promise<Decision> {
    const executions = await fetchExecutions({
      apiUrl: this.apiUrl,
      team,
      jobName,
      accessToken: await this.bearerToken(call),
      call
    });
    this.logger.debug(
      `The Control Service listed ${executions.length} executions.`
    );
    return decide(executions, executionId);
  }

  /** The access token, exchanged once per checker when login is needed. */
  private bearerToken(call: CallSettings): Promise<string> {
    const { apiToken = '', apiTokenAuthorizationUrl = null } = this.options;
    if (apiTokenAuthorizationUrl === null || apiToken === '') {
      return Promise.resolve(apiToken);
    }
    this.accessToken ??= exchangeApiToken(
      apiTokenAuthorizationUrl,
      apiToken,
      call
    ).catch((thrown: unknown) => {
      // A failed exchange is not kept: the next check tries again.
      this.accessToken = null;
      throw thrown;
    });
    return this.accessToken;
  }
}
