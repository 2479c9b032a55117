#!/usr/bin/env node
import { runCli } from './cli-main.js';

// The exit code carries the decision; leave at once, as the action does.
process.exit(await runCli(process.argv.slice(2), process.env));
