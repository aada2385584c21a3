// Starts a real elizaOS 1.5 server (@elizaos/server 1.5.8, pinned in package-lock.json) the way that line's CLI
// does (serverId and /central-channels still, no messageComplete any more), with the deterministic agents of ../../server.mjs. The imports are here, not in harness.mjs, so that
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
