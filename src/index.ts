import { run } from './main.js';

await run();
// Leave at once: a server that holds a connection open must not keep the
// job step waiting after the decision is made.
process.exit();
