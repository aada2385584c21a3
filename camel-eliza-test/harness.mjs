// What both test servers (current and legacy-1.4) share: command line, environment, READY line, shutdown.
//
// Usage of a server: node server.mjs --port 3000 --data-dir DIR [--api-key KEY] [--agents 1] [--host 127.0.0.1]
//                                     [--agents-file FILE] [--watch-stdin]
//   --agents-file  a JSON array of agents, [{"name":"Support","id":"<uuid>","answer":{...}}] (see
//                  deterministic-model.mjs for "answer"); replaces --agents
//   --watch-stdin  exit when stdin closes: the JVM that started the server holds the other end of the pipe, so the
//                  server ends with it even when the JVM is killed (no orphan processes)
// When it accepts connections it prints one line:
//   ELIZA_TEST_SERVER_READY {"port":3000,"dataDir":"...","agents":[{"id":"...","name":"..."}]}
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';

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
  const agentCount = Math.max(1, Math.min(AGENT_NAMES.length, Number.parseInt(args.agents, 10) || 1));
  const agentSpecs = args['agents-file'] ? JSON.parse(fs.readFileSync(args['agents-file'], 'utf8')) : null;
  if (args['watch-stdin']) {
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.resume();
  }
  return { port, dataDir, agentCount, agentSpecs };
}

/** A character the deterministic model can play; {@code id} fixed, or derived by elizaOS from the name when null. */
export function character(name, id) {
  return {
    ...(id ? { id } : {}),
    name,
    username: name.toLowerCase(),
    bio: [`${name} is a deterministic test agent that echoes every message.`],
    settings: { secrets: {} },
  };
}

/** Prints the READY line and exits cleanly on SIGTERM/SIGINT (after {@code stop}, if given). */
export function announceReady({ port, dataDir, agents }, stop) {
  const shutdown = async () => {
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
