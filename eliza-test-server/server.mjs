// Starts a real elizaOS server (@elizaos/server, pinned in package-lock.json) with agents whose
// model is deterministic: no LLM, no network. Used by the camel-eliza tests and the demo.
//
// Usage: node server.mjs --port 3000 --data-dir /tmp/eliza-data [--api-key KEY] [--agents 1]
// When the server accepts connections it prints one line:
//   ELIZA_TEST_SERVER_READY {"port":3000,"agents":[{"id":"...","name":"..."}]}
// Answers: every message M gets the reply "<AgentName> echoes: M" (M = the newest message of the
// room as the agent's prompt shows it), so a test can tell which message a reply answers.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { deterministicModelPlugin } from './deterministic-model.mjs';

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
const dataDir = path.resolve(args['data-dir'] ?? fs.mkdtempSync('/tmp/eliza-test-server-'));
fs.mkdirSync(dataDir, { recursive: true });

// The server and its agents read these at start: set them before the server module loads.
process.env.SERVER_PORT = String(port);
process.env.SERVER_HOST = args.host;
process.env.PGLITE_DATA_DIR = dataDir;
process.env.ELIZA_UI_ENABLE = 'false';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'info';
if (args['api-key']) {
  process.env.SERVER_API_KEY = args['api-key'];
}

// Fixed ids, so tests and the demo can address agents without asking the server.
const AGENTS = [
  { id: 'b850bc30-45f8-0041-a00a-83df46d8555d', name: 'Echo' },
  { id: '6f7ad3e2-3c1d-4b57-9d0c-6a4f1b2c3d4e', name: 'Parrot' },
];
const agentCount = Math.max(1, Math.min(AGENTS.length, Number.parseInt(args.agents, 10) || 1));

const { AgentServer } = await import('@elizaos/server');
const sqlPlugin = (await import('@elizaos/plugin-sql')).default;
const bootstrapPlugin = (await import('@elizaos/plugin-bootstrap')).default;

const agents = AGENTS.slice(0, agentCount).map((a) => ({
  character: {
    id: a.id,
    name: a.name,
    username: a.name.toLowerCase(),
    bio: [`${a.name} is a deterministic test agent that echoes every message.`],
    settings: { secrets: {} },
  },
  plugins: [sqlPlugin, bootstrapPlugin, deterministicModelPlugin(a.name)],
}));

const server = new AgentServer();
await server.start({ port, dataDir, agents });

const shutdown = async () => {
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

console.log(
  'ELIZA_TEST_SERVER_READY ' +
    JSON.stringify({ port: Number(process.env.SERVER_PORT), dataDir, agents: AGENTS.slice(0, agentCount) }),
);
