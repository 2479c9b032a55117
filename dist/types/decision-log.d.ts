import { type Decision } from './decision.js';
import type { Logger } from './logger.js';
/** The active executions, oldest first, this run and the blocker marked. */
export declare function listActive(decision: Decision, logger: Logger): void;
/** The blocking execution as the log names it. */
export declare function describeBlocking(decision: Decision): string;
/** One info line: what was decided and why. */
export declare function logVerdict(decision: Decision, executionId: string, logger: Logger): void;
