// Stands in for the tunnel package in the bundles. @actions/http-client
// imports tunnel at load time, and tunnel loads https and tls, which cost a
// plain-http run about 2.5 MiB and 4 ms under Node 24 (see BENCHMARKS.md).
// Only a request through a proxy needs a tunnel, so this loads the real
// package on the first call. tsconfig.json maps "tunnel" here through
// `paths`; the deep path below is not mapped, so the bundler still bundles
// the real package, to be evaluated on first use. CommonJS, so that the
// bundler keeps require() where it is instead of hoisting it like an import.
'use strict';

let realTunnel;

function loadTunnel() {
  if (realTunnel === undefined) realTunnel = require('tunnel/lib/tunnel.js');
  return realTunnel;
}

exports.httpOverHttp = (options) => loadTunnel().httpOverHttp(options);
exports.httpsOverHttp = (options) => loadTunnel().httpsOverHttp(options);
exports.httpOverHttps = (options) => loadTunnel().httpOverHttps(options);
exports.httpsOverHttps = (options) => loadTunnel().httpsOverHttps(options);
