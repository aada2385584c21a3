// The Node baseline: socket.io-client 4.8.1 doing what the Java benchmarks do, emit SEND_MESSAGE and await its
// messageAck, with `inFlight` messages outstanding. Prints one JSON line.
//
//   node client-bench.mjs --url http://127.0.0.1:4600 --n 20000 --warmup 2000 --in-flight 16 [--transport websocket]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const url = arg('url', 'http://127.0.0.1:4600');
const n = Number(arg('n', '20000'));
const warmup = Number(arg('warmup', '2000'));
const inFlight = Number(arg('in-flight', '1'));
const transport = arg('transport', 'default');
const channelId = arg('channel', randomUUID());
const entityId = randomUUID();
const agentId = arg('agent', null);
const MESSAGE_SERVER_ID = '00000000-0000-0000-0000-000000000000';

const options = { forceNew: true, reconnection: false, auth: { entityId } };
if (transport === 'websocket') options.transports = ['websocket'];
const socket = io(url, options);

// the same fields the component sends (ElizaProtocol.sendPayload)
function envelope(text, messageId) {
  return {
    type: 2,
    payload: {
      channelId, roomId: channelId, senderId: entityId, senderName: 'Camel', message: text,
      messageServerId: MESSAGE_SERVER_ID, serverId: MESSAGE_SERVER_ID, messageId, source: 'camel',
      metadata: agentId ? { isDm: true, channelType: 'DM', targetUserId: agentId } : {},
    },
  };
}

const pending = new Map();
socket.on('messageAck', (ack) => {
  const done = pending.get(ack.clientMessageId);
  if (done) {
    pending.delete(ack.clientMessageId);
    done();
  }
});

function run(count, record) {
  return new Promise((resolve) => {
    let sent = 0;
    let acked = 0;
    const latencies = record ? new Float64Array(count) : null;
    const sendOne = () => {
      const i = sent++;
      const id = randomUUID();
      const t0 = performance.now();
      pending.set(id, () => {
        if (latencies) latencies[i] = performance.now() - t0;
        acked++;
        if (acked === count) resolve(latencies);
        else if (sent < count) sendOne();
      });
      socket.emit('message', envelope(`message ${i}`, id));
    };
    for (let k = 0; k < Math.min(inFlight, count); k++) sendOne();
  });
}

socket.on('connect', async () => {
  // with the default transport, let the upgrade to WebSocket finish first, as the Java benchmarks do
  await new Promise((r) => setTimeout(r, 300));
  await run(warmup, false);
  const start = performance.now();
  const latencies = await run(n, true);
  const seconds = (performance.now() - start) / 1000;
  latencies.sort();
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  console.log(JSON.stringify({
    client: 'node socket.io-client 4.8.1', transport: socket.io.engine.transport.name, inFlight, n,
    msgPerSec: n / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99), node: process.version,
  }));
  socket.close();
  process.exit(0);
});
socket.on('connect_error', (e) => {
  console.error(`connect_error: ${e.message}`);
  process.exit(2);
});
