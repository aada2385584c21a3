// Starts a real elizaOS 1.6 server (@elizaos/server 1.6.5, pinned in package-lock.json) the way that line's CLI does,
// with the deterministic agents of ../../server.mjs (same ids, command line and READY line). The imports are here, not
// in harness.mjs, so that they resolve to this line's node_modules.
import { startLine } from '../../harness.mjs';

await startLine({
  legacy: false,
  load: async () => ({
    server: await import('@elizaos/server'),
    sql: await import('@elizaos/plugin-sql'),
    bootstrap: await import('@elizaos/plugin-bootstrap'),
  }),
});
