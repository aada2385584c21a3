// Starts a real elizaOS server (@elizaos/server 1.7.2, pinned in package-lock.json) with agents whose model is
// deterministic: no LLM, no network. Used by the camel-eliza tests and the demo. Command line and READY line: see
// harness.mjs. Every message M is answered "<AgentName> echoes: M" (see deterministic-model.mjs), so a test can tell
// which message a reply answers. Agents Echo and Parrot have fixed ids, so tests and the demo can address them
// without asking the server. The older lines are under lines/<line>/.
import { createRequire } from 'node:module';
import { startLine } from './harness.mjs';

await startLine({
  legacy: false,
  load: async () => ({
    server: await import('@elizaos/server'),
    sql: await import('@elizaos/plugin-sql'),
    bootstrap: await import('@elizaos/plugin-bootstrap'),
    // its CommonJS build: the ES module of plugin-mcp 1.8.2 imports getRequestContext, which core 1.7.2 lacks. Loaded
    // only for an agent with MCP servers
    loadMcp: () => createRequire(import.meta.url)('@elizaos/plugin-mcp').default,
  }),
});
