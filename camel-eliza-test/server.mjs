// Starts a real elizaOS server (@elizaos/server 1.7.2, pinned in package-lock.json) with agents whose model is
// deterministic: no LLM, no network. Used by the camel-eliza tests and the demo. Command line and READY line: see
// harness.mjs. Every message M is answered "<AgentName> echoes: M" (see deterministic-model.mjs), so a test can tell
// which message a reply answers.
import { deterministicModelPlugin } from './deterministic-model.mjs';
import { AGENT_NAMES, announceReady, character, prepare } from './harness.mjs';

const { port, dataDir, agentCount, agentSpecs } = prepare();

// Fixed ids, so tests and the demo can address agents without asking the server.
const AGENT_IDS = ['b850bc30-45f8-0041-a00a-83df46d8555d', '6f7ad3e2-3c1d-4b57-9d0c-6a4f1b2c3d4e'];

// imported after prepare(): the server reads its environment when it loads
const { AgentServer } = await import('@elizaos/server');
const sqlPlugin = (await import('@elizaos/plugin-sql')).default;
const bootstrapPlugin = (await import('@elizaos/plugin-bootstrap')).default;

// --agents-file gives each agent its name, id and answers; otherwise the first agentCount of Echo and Parrot
const agents = agentSpecs ?? AGENT_NAMES.slice(0, agentCount).map((name, i) => ({ name, id: AGENT_IDS[i] }));
const server = new AgentServer();
await server.start({
  port,
  dataDir,
  agents: agents.map((agent) => ({
    character: character(agent.name, agent.id),
    plugins: [sqlPlugin, bootstrapPlugin, deterministicModelPlugin(agent.name, agent.answer)],
  })),
});

announceReady(
  { port: Number(process.env.SERVER_PORT), dataDir, agents: agents.map(({ id, name }) => ({ id, name })) },
  () => server.stop(),
);
