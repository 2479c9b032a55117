// Stands in for @actions/exec in the bundles. @actions/core imports it for
// `core.platform`, helpers that run programs to name the runner's operating
// system and that this project never calls; loading it would load
// child_process and @actions/io on every run. tsconfig.json maps
// "@actions/exec" here through `paths`. Calling it says why it fails.
function notBundled() {
  throw new Error(
    '@actions/exec is not bundled with vdk-execution-skip: core.platform is not available.'
  );
}

export function exec() {
  return notBundled();
}

export function getExecOutput() {
  return notBundled();
}
