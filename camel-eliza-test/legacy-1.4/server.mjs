// Starts a real elizaOS 1.4 server (@elizaos/server 1.4.2, pinned in package-lock.json), the way that line's CLI
// does (initialize, start, one AgentRuntime per agent, registerAgent): the older protocol, which wants serverId and
// emits messageComplete after every agent turn. Same command line, model and READY line as ../server.mjs; the agent
// ids are derived by elizaOS from the names, so the READY line is where clients learn them.
import { deterministicModelPlugin } from '../deterministic-model.mjs';
import { AGENT_NAMES, announceReady, character, prepare } from '../harness.mjs';

const { port, dataDir, agentCount, agentSpecs } = prepare();

const { AgentServer } = await import('@elizaos/server');
const { AgentRuntime } = await import('@elizaos/core');
const sqlPlugin = (await import('@elizaos/plugin-sql')).default;
const bootstrapPlugin = (await import('@elizaos/plugin-bootstrap')).default;

const server = new AgentServer();
await server.initialize({ dataDir });
// listening before the agents start: their message bus asks the server's REST API for its channels
server.start(port);

const agents = [];
// the ids of --agents-file are ignored here: elizaOS 1.4 derives an agent's id from its name
const specs = agentSpecs ?? AGENT_NAMES.slice(0, agentCount).map((name) => ({ name }));
for (const { name, answer } of specs) {
  const runtime = new AgentRuntime({
    character: character(name, null),
    plugins: [sqlPlugin, bootstrapPlugin, deterministicModelPlugin(name, answer)],
  });
  await runtime.initialize();
  await server.registerAgent(runtime);
  agents.push({ id: runtime.agentId, name });
}

announceReady({ port, dataDir, agents });
