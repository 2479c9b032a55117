/**
 * The library: the same check the action and the command line run, for
 * callers in JavaScript or TypeScript.
 */
export {
  ConcurrentExecutionChecker,
  type CheckResult,
  type CheckerOptions,
  type WaitOptions
} from './checker.js';
export {
  decide,
  isActive,
  isSameExecution,
  sortOldestFirst,
  type Decision
} from './decision.js';
export { toExecutions, type Execution } from './executions.js';
export { CheckFailedError, ConfigurationError } from './errors.js';
export type { Logger } from './logger.js';
