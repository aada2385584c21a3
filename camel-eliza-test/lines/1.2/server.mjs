// Starts a real elizaOS 1.2 server (@elizaos/server 1.2.12, pinned in package-lock.json) the way that line's CLI
// does (serverId, /central-channels routes, messageComplete after every agent turn), with the deterministic agents of ../../server.mjs. The imports are here, not in harness.mjs, so that
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
