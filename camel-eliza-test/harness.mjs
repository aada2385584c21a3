// What every test server shares (server.mjs, the current line, and lines/<line>/server.mjs): command line,
// environment, READY line, shutdown, and the two ways elizaOS lines start their server.
//
// Usage of a server: node server.mjs --port 3000 --data-dir DIR [--api-key KEY] [--agents 1] [--host 127.0.0.1]
//                                     [--agents-file FILE] [--watch-stdin]
//   --agents       how many of the built-in agents Echo and Parrot to start, 0 to 2 (default 1). Each agent's
//                  message bus asks the server's REST API for the channel's participants on every message, in any
//                  channel, which spends the server's REST rate limit (1000 requests per 15 minutes per client
//                  address, loopback included): a test that posts thousands of messages and needs no answer starts 0
//   --agents-file  a JSON array of agents, [{"name":"Support","id":"<uuid>","answer":{...}}] (see
//                  deterministic-model.mjs for "answer"); replaces --agents. An agent may have MCP servers,
//                  "mcp":{"servers":{"orders":{"type":"streamable-http","url":"http://...","timeoutInMillis":5000}}}
//                  (the settings of @elizaos/plugin-mcp): it then gets that plugin and runs in elizaOS's multi-step
//                  mode, the one that calls tools with arguments (current line only; see mcp-tools.mjs)
//   --watch-stdin  exit when stdin closes: the JVM that started the server holds the other end of the pipe, so the
//                  server ends with it even when the JVM is killed (no orphan processes)
// Environment: ELIZA_TEST_HIDDEN_ROUTES=/api/system/version,... answers requests for these paths (prefixes) with 404
// before the server sees them, as a gateway that forwards only part of the API would.
//   ELIZA_TEST_FAULTS_FILE=FILE: while FILE exists, it holds {"path":"/api/...","status":429,"times":2} (optionally
// with "headers":{"Retry-After":"7",...}), and the next `times` requests under that path (a prefix) are answered with
// that status and those headers before the server sees them, as an overloaded server or gateway would; a 429 with the
// body of elizaOS's own rate limiter. Each such answer counts `times` down in the file. The test and this process
// both replace the file by renaming a complete one over it, so neither ever reads half of it.
// When it accepts connections it prints one line:
//   ELIZA_TEST_SERVER_READY {"port":3000,"dataDir":"...","agents":[{"id":"...","name":"..."}]}
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { deterministicModelPlugin } from './deterministic-model.mjs';

export const AGENT_NAMES = ['Echo', 'Parrot'];

/** Parses the command line and sets the environment the server and its agents read at start. */
export function prepare() {
  const { values: args } = parseArgs({
    options: {
      port: { type: 'string', default: '3000' },
      'data-dir': { type: 'string' },
      'api-key': { type: 'string' },
      agents: { type: 'string', default: '1' },
      host: { type: 'string', default: '127.0.0.1' },
      'agents-file': { type: 'string' },
      'watch-stdin': { type: 'boolean', default: false },
    },
  });
  const port = Number.parseInt(args.port, 10);
  const dataDir = path.resolve(args['data-dir'] ?? fs.mkdtempSync('/tmp/eliza-test-server-'));
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.SERVER_PORT = String(port);
  process.env.SERVER_HOST = args.host;
  process.env.PGLITE_DATA_DIR = dataDir;
  process.env.ELIZA_UI_ENABLE = 'false';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'info';
  if (args['api-key']) {
    process.env.SERVER_API_KEY = args['api-key'];
  }
  interceptRoutes(process.env.ELIZA_TEST_HIDDEN_ROUTES, process.env.ELIZA_TEST_FAULTS_FILE);
  const parsedCount = Number.parseInt(args.agents, 10);
  const agentCount = Math.max(0, Math.min(AGENT_NAMES.length, Number.isNaN(parsedCount) ? 1 : parsedCount));
  const agentSpecs = args['agents-file'] ? JSON.parse(fs.readFileSync(args['agents-file'], 'utf8')) : null;
  if (args['watch-stdin']) {
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.resume();
  }
  return { port, dataDir, agentCount, agentSpecs };
}

/**
 * On every HTTP server of this process: answers 404 for requests under the given comma-separated paths, and the
 * status a fault file asks for (see the environment above).
 */
function interceptRoutes(hiddenPaths, faultsFile) {
  const hidden = (hiddenPaths ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (hidden.length === 0 && !faultsFile) {
    return;
  }
  const answer = (response, status, body, headers = {}) => {
    // one by one: a fault's own Content-Type replaces this one instead of going out beside it
    response.setHeader('content-type', 'application/json');
    Object.entries(headers).forEach(([name, value]) => response.setHeader(name, value));
    response.writeHead(status);
    response.end(JSON.stringify({ success: false, error: body }));
    return true;
  };
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, request, response) {
    if (event === 'request') {
      if (hidden.some((p) => request.url.startsWith(p))) {
        return answer(response, 404, { message: 'Hidden by the test harness', code: 404 });
      }
      const fault = faultsFile ? takeFault(faultsFile, request.url) : null;
      if (fault?.status) {
        const body = fault.status === 429
          ? RATE_LIMIT_EXCEEDED
          : { message: 'Fault injected by the test harness', code: fault.status };
        return answer(response, fault.status, body, fault.headers);
      }
    }
    return emit.apply(this, arguments);
  };
}

/** The error of elizaOS's API rate limiter (@elizaos/server 1.7.2, src/middleware/rate-limit.ts), as it answers 429. */
const RATE_LIMIT_EXCEEDED = { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests. Please try again later.' };

/** The armed fault ({status, headers}) for this url, counted down in the file; null when none applies. */
function takeFault(file, url) {
  let fault;
  try {
    fault = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null; // no fault armed
  }
  if (!fault || !(fault.times > 0) || !url.startsWith(fault.path)) {
    return null;
  }
  const written = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(written, JSON.stringify({ ...fault, times: fault.times - 1 }));
  fs.renameSync(written, file);
  return { status: fault.status, headers: fault.headers ?? {} };
}

/**
 * A character the deterministic model can play; {@code id} fixed, or derived by elizaOS from the name when null;
 * {@code mcp} the settings of @elizaos/plugin-mcp, for an agent that calls MCP tools.
 */
export function character(name, id, mcp) {
  return {
    ...(id ? { id } : {}),
    name,
    username: name.toLowerCase(),
    bio: [`${name} is a deterministic test agent that echoes every message.`],
    settings: {
      secrets: {},
      // without the multi-step mode, elizaOS 1.7 runs a tool's action with no arguments; three steps: the call, the
      // decision that the turn is done, and one spare
      ...(mcp ? { USE_MULTI_STEP: 'true', MAX_MULTISTEP_ITERATIONS: '3', mcp } : {}),
    },
  };
}

/**
 * The plugins of an agent: the line's SQL and bootstrap plugins, @elizaos/plugin-mcp for an agent with MCP servers
 * ({@code loadMcp} loads it, from the line's own packages; only the current line has it), and its model.
 */
function pluginsOf(agent, { sqlPlugin, bootstrapPlugin, loadMcp }, model) {
  if (!agent.mcp) {
    return [sqlPlugin, bootstrapPlugin, model(agent)];
  }
  if (!loadMcp) {
    throw new Error(`Agent ${agent.name} has MCP servers: only the current elizaOS line (1.7) of the test harness ` +
      'can call MCP tools');
  }
  return [sqlPlugin, bootstrapPlugin, loadMcp(), model(agent)];
}

/** Prints the READY line and exits cleanly on SIGTERM/SIGINT (after {@code stop}, if given). */
export function announceReady({ port, dataDir, agents }, stop) {
  let stopping = false;
  const shutdown = async () => {
    // once: Ctrl+C in a terminal signals this process and the JVM that started it, whose shutdown stops it too
    if (stopping) return;
    stopping = true;
    // a stop() that hangs must not leave the process behind (the JVM that started it may be gone)
    setTimeout(() => process.exit(1), 10000).unref();
    try {
      if (stop) await stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  console.log('ELIZA_TEST_SERVER_READY ' + JSON.stringify({ port, dataDir, agents }));
}

/** The ids of Echo and Parrot, fixed on the lines that take an agent's id from its character (1.6 and later). */
const AGENT_IDS = ['b850bc30-45f8-0041-a00a-83df46d8555d', '6f7ad3e2-3c1d-4b57-9d0c-6a4f1b2c3d4e'];

/**
 * Starts the server of a line with the deterministic agents (--agents-file, or the first --agents of Echo and Parrot).
 * {@code load} imports that line's packages: a function of the line's server.mjs, so that the bare imports resolve
 * to the line's own node_modules. It is called after prepare(): the server reads its environment when it loads.
 * {@code legacy}: a line before 1.6, which starts differently.
 */
export async function startLine({ legacy, load }) {
  const { port, dataDir, agentCount, agentSpecs } = prepare();
  const { server, core, sql, bootstrap, loadMcp } = await load();
  const modules = { AgentServer: server.AgentServer, AgentRuntime: core?.AgentRuntime, sqlPlugin: sql.default,
    bootstrapPlugin: bootstrap.default, loadMcp };
  const agents = agentSpecs
    ?? AGENT_NAMES.slice(0, agentCount).map((name, i) => (legacy ? { name } : { name, id: AGENT_IDS[i] }));
  const model = (agent) => deterministicModelPlugin(agent.name, agent.answer);
  if (legacy) {
    await startLegacyServer(modules, { port, dataDir, agents }, model);
  } else {
    await startServer(modules, { dataDir, agents }, model);
  }
}

/**
 * Starts a server of the 1.6 line or later the way its CLI does: {@code AgentServer.start} with the agents, whose ids
 * their characters fix. {@code modules} are the line's own packages, imported by its server.mjs (a bare import here
 * would resolve to the current line's packages); {@code model} gives an agent its deterministic model plugin.
 */
async function startServer(modules, { dataDir, agents }, model) {
  const { AgentServer } = modules;
  const server = new AgentServer();
  await server.start({
    port: Number(process.env.SERVER_PORT),
    dataDir,
    // PostgreSQL instead of PGlite (data isolation needs it); the lines before 1.6 read POSTGRES_URL themselves
    ...(process.env.POSTGRES_URL ? { postgresUrl: process.env.POSTGRES_URL } : {}),
    agents: agents.map((agent) => ({
      character: character(agent.name, agent.id, agent.mcp),
      plugins: pluginsOf(agent, modules, model),
    })),
  });
  announceReady(
    { port: Number(process.env.SERVER_PORT), dataDir, agents: agents.map(({ id, name }) => ({ id, name })) },
    () => server.stop(),
  );
}

/**
 * Starts a server of the 1.5 line or earlier the way its CLI does: {@code initialize}, {@code start(port)}, then an
 * {@code AgentRuntime} per agent, registered with the server. These lines derive an agent's id from its name (the
 * ids of --agents-file are ignored), so the READY line is where clients learn them.
 */
async function startLegacyServer(modules, { port, dataDir, agents }, model) {
  const { AgentServer, AgentRuntime } = modules;
  const server = new AgentServer();
  await server.initialize({ dataDir });
  // listening before the agents start: their message bus asks the server's REST API for its channels
  server.start(port);
  const started = [];
  for (const agent of agents) {
    const runtime = new AgentRuntime({
      character: character(agent.name, null),
      plugins: pluginsOf(agent, modules, model),
    });
    await runtime.initialize();
    await server.registerAgent(runtime);
    started.push({ id: runtime.agentId, name: agent.name });
  }
  announceReady({ port, dataDir, agents: started }, server.stop ? () => server.stop() : undefined);
}
