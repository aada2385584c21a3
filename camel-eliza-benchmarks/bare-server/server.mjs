// A Socket.IO 4.8 server that answers like elizaOS 1.7 (see docs/protocol.md) but stores nothing: the peer of the
// benchmarks, so that what they measure is the client, not the server's database or agents.
//
//   node server.mjs --port 4600 [--agent-reply-delay 0]
//
// Prints "BARE_SERVER_READY {json}" once listening. Besides the elizaOS protocol it understands a few bench:* events,
// sent by the benchmark on a control socket:
//   bench:emit {channelId, seq, count}  emits count messageBroadcasts (texts seq, seq+1, ...) to the room
// and over HTTP GET /bench/stats (the counters: joins, sends, REST reads, connects, times) and POST /bench/reset.
// A client whose handshake auth has benchNoEcho: true does not get its own messages back. The stand-in agent does not
// answer a question that starts with [silent]. It exits when its stdin closes (the JVM that started it is gone).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const port = Number(arg('port', '4600'));
const agentReplyDelay = Number(arg('agent-reply-delay', '0'));
const MESSAGE_SERVER_ID = '00000000-0000-0000-0000-000000000000';
// the sender of bench:emit broadcasts: not the benchmark's own entity, so consumers deliver them
const BENCH_SENDER = '11111111-2222-4333-8444-555555555555';

const stats = {};
const resetStats = () => Object.assign(stats, {
  connects: 0, joins: 0, sends: 0, restReads: 0, emitted: 0,
  lastConnectAt: 0, lastJoinAt: 0, startedAt: performance.timeOrigin + performance.now(),
});
resetStats();
const now = () => performance.timeOrigin + performance.now();

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const httpServer = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/api/messaging/message-server/current') {
    json(res, 200, { success: true, data: { messageServerId: MESSAGE_SERVER_ID } });
  } else if (req.method === 'GET' && url.pathname === '/api/system/version') {
    json(res, 200, { version: '1.7.2', source: 'server' });
  } else if (req.method === 'GET' && /^\/api\/messaging\/(channels|central-channels)\/[^/]+\/messages$/.test(url.pathname)) {
    stats.restReads++;
    json(res, 200, { success: true, data: { messages: [] } });
  } else if (req.method === 'GET' && url.pathname === '/bench/stats') {
    json(res, 200, { ...stats, now: now() });
  } else if (req.method === 'POST' && url.pathname === '/bench/reset') {
    resetStats();
    json(res, 200, { success: true });
  } else if (url.pathname.startsWith('/socket.io')) {
    // Socket.IO's own handler answers these
  } else {
    json(res, 404, { success: false, error: { message: 'Not found' } });
  }
});

// elizaOS 1.7.2's settings (docs/protocol.md)
const io = new Server(httpServer, {
  cors: { origin: '*' },
  pingInterval: 25000,
  pingTimeout: 20000,
  connectTimeout: 10000,
  maxHttpBufferSize: 1e6,
});

function objectOf(data) {
  return typeof data === 'string' ? JSON.parse(data) : data;
}

io.on('connection', (socket) => {
  stats.connects++;
  stats.lastConnectAt = now();
  // a benchmark's way to measure what the echo of every message to its sender costs the client
  const noEcho = socket.handshake.auth && String(socket.handshake.auth.benchNoEcho) === 'true';
  socket.emit('connection_established', { message: 'Connected to Eliza Socket.IO server', socketId: socket.id });

  socket.on('message', (raw) => {
    const { type, payload: rawPayload } = objectOf(raw);
    const payload = objectOf(rawPayload);
    const channelId = payload.channelId || payload.roomId;
    if (type === 1) {
      socket.join(channelId);
      stats.joins++;
      stats.lastJoinAt = now();
      const joined = { message: `Socket ${socket.id} successfully joined channel ${channelId}.`, channelId, roomId: channelId };
      socket.emit('channel_joined', joined);
      socket.emit('room_joined', joined);
    } else if (type === 2) {
      stats.sends++;
      const messageServerId = payload.messageServerId || payload.serverId;
      const broadcast = {
        id: randomUUID(), senderId: payload.senderId, senderName: payload.senderName, text: payload.message,
        channelId, roomId: channelId, serverId: messageServerId, createdAt: Date.now(), source: payload.source,
        attachments: payload.attachments, metadata: payload.metadata,
      };
      socket.to(channelId).emit('messageBroadcast', broadcast);
      if (!noEcho) socket.emit('messageBroadcast', { ...broadcast, clientMessageId: payload.messageId });
      socket.emit('messageAck', {
        clientMessageId: payload.messageId, messageId: broadcast.id,
        status: 'received_by_server_and_processing', channelId, roomId: channelId,
      });
      const agentId = payload.metadata && payload.metadata.targetUserId;
      // '[silent]' questions stay unanswered: requests that wait, for the memory each one holds
      if (agentId && !String(payload.message).startsWith('[silent]')) {
        // a stand-in agent, for request-reply without a database: its answer carries roomId only, like elizaOS's
        const reply = () => io.to(channelId).emit('messageBroadcast', {
          id: randomUUID(), senderId: agentId, senderName: 'Echo', text: `Echo echoes: ${payload.message}`,
          roomId: channelId, serverId: messageServerId, createdAt: Date.now(), source: 'agent_response',
          thought: '', actions: ['REPLY'],
        });
        if (agentReplyDelay > 0) setTimeout(reply, agentReplyDelay); else setImmediate(reply);
      }
    }
  });

  socket.on('bench:emit', (cmd) => {
    const { channelId, seq, count } = objectOf(cmd);
    for (let i = 0; i < (count || 1); i++) {
      stats.emitted++;
      io.to(channelId).emit('messageBroadcast', {
        id: randomUUID(), senderId: BENCH_SENDER, senderName: 'Bench', text: String(seq + i),
        channelId, roomId: channelId, serverId: MESSAGE_SERVER_ID, createdAt: Date.now(), source: 'bench',
      });
    }
  });
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log(`BARE_SERVER_READY ${JSON.stringify({ port, pid: process.pid, node: process.version })}`);
});

if (args.includes('--watch-stdin')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}
process.on('SIGTERM', () => process.exit(0));
