// Starts a real elizaOS 1.4 server (pinned in package-lock.json): the API of that line (initialize, start, one
// AgentRuntime per agent, registerAgent), which emits messageComplete after every agent turn and wants serverId.
// Same arguments and READY line as ../server.mjs; the agent id is derived by elizaOS from the name, so the READY line
// is where clients learn it.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { deterministicModelPlugin } from '../deterministic-model.mjs';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    'data-dir': { type: 'string' },
    'api-key': { type: 'string' },
    agents: { type: 'string', default: '1' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const port = Number.parseInt(args.port, 10);
const dataDir = path.resolve(args['data-dir'] ?? fs.mkdtempSync('/tmp/eliza-legacy-'));
fs.mkdirSync(dataDir, { recursive: true });
process.env.SERVER_PORT = String(port);
process.env.SERVER_HOST = args.host;
process.env.PGLITE_DATA_DIR = dataDir;
process.env.ELIZA_UI_ENABLE = 'false';
if (args['api-key']) {
  process.env.SERVER_API_KEY = args['api-key'];
}

const { AgentServer } = await import('@elizaos/server');
const { AgentRuntime } = await import('@elizaos/core');
const sqlPlugin = (await import('@elizaos/plugin-sql')).default;
const bootstrapPlugin = (await import('@elizaos/plugin-bootstrap')).default;

const server = new AgentServer();
await server.initialize({ dataDir });
// listening before the agents start: their message bus asks the server's REST API for its channels
server.start(port);

const names = ['Echo', 'Parrot'].slice(0, Math.max(1, Math.min(2, Number.parseInt(args.agents, 10) || 1)));
const agents = [];
for (const name of names) {
  const runtime = new AgentRuntime({
    character: { name, username: name.toLowerCase(), bio: [`${name} echoes every message.`], settings: { secrets: {} } },
    plugins: [sqlPlugin, bootstrapPlugin, deterministicModelPlugin(name)],
  });
  await runtime.initialize();
  await server.registerAgent(runtime);
  agents.push({ id: runtime.agentId, name });
}

const shutdown = () => process.exit(0);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

console.log('ELIZA_TEST_SERVER_READY ' + JSON.stringify({ port, dataDir, agents }));
