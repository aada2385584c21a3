// Starts a real elizaOS 1.4 server (@elizaos/server 1.4.2, pinned in package-lock.json) the way that line's CLI
// does (as 1.2; the last line that emits messageComplete), with the deterministic agents of ../../server.mjs. The imports are here, not in harness.mjs, so that
// they resolve to this line's node_modules.
import { startLine } from '../../harness.mjs';

await startLine({
  legacy: true,
  load: async () => ({
    server: await import('@elizaos/server'),
    core: await import('@elizaos/core'),
    sql: await import('@elizaos/plugin-sql'),
    bootstrap: await import('@elizaos/plugin-bootstrap'),
  }),
});
