/**
 * Where the check reports progress. The action writes to the job log through
 * @actions/core; the command line writes to standard error.
 */
export interface Logger {
  /** Progress a reader of the log needs: what was asked, decided and why. */
  info(message: string): void;
  /** Details for troubleshooting, hidden unless asked for. */
  debug(message: string): void;
  /** Something the reader should act on; the run goes on. */
  warning(message: string): void;
  /** Registers a secret, given or derived, so that it is never printed. */
  mask(secret: string): void;
}

/** A logger that says nothing, for library callers that pass none. */
export const silentLogger: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warning: () => undefined,
  mask: () => undefined
};
