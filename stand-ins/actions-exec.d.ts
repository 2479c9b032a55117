/** Types of the stand-in for @actions/exec: see actions-exec.js beside it. */
export declare function exec(): never;
export declare function getExecOutput(): never;
