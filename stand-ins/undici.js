// Stands in for undici in the bundles. @actions/http-client imports undici's
// ProxyAgent at load time for getAgentDispatcher(), a fetch() helper this
// project never calls; loading the real undici costs about 40 ms, 13 MiB and
// 430 KiB of bundle on every run (see BENCHMARKS.md). tsconfig.json maps
// "undici" here through `paths`, which the bundler follows. Plain JavaScript,
// so that the bundler needs no TypeScript compiler for it.
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled with vdk-execution-skip: getAgentDispatcher() is not available.'
    );
  }
}
