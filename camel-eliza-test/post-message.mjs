// An independent Socket.IO client (the official socket.io-client for Node), for tests that need a peer that is not
// camel-eliza. Connects, joins the channel, sends one message, waits for its ack and prints one line:
//   ACK {"clientMessageId":...,"messageId":...}   or   ERROR <reason>   (exit code 1)
// Usage: node post-message.mjs --url URL --entity-id UUID --channel-id UUID --text TEXT
//          [--sender-name NAME] [--source SOURCE] [--api-key KEY] [--agent-id UUID]
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string' },
    'entity-id': { type: 'string' },
    'channel-id': { type: 'string' },
    text: { type: 'string' },
    'sender-name': { type: 'string', default: 'Node Peer' },
    source: { type: 'string', default: 'node-peer' },
    'api-key': { type: 'string' },
    'agent-id': { type: 'string' },
    'server-id': { type: 'string', default: '00000000-0000-0000-0000-000000000000' },
  },
});

const fail = (reason) => {
  console.log(`ERROR ${reason}`);
  process.exit(1);
};
setTimeout(() => fail('timeout'), 20000).unref();

const auth = { entityId: a['entity-id'] };
if (a['api-key']) auth.apiKey = a['api-key'];
const socket = io(a.url, { auth, reconnection: false, transports: ['websocket'] });
const messageId = randomUUID();

socket.on('connect_error', (err) => fail(err.message));
socket.on('messageError', (err) => fail(err.error));
socket.on('channel_joined', () => {
  const metadata = a['agent-id'] ? { isDm: true, channelType: 'DM', targetUserId: a['agent-id'] } : {};
  socket.emit('message', {
    type: 2,
    payload: {
      channelId: a['channel-id'],
      senderId: a['entity-id'],
      senderName: a['sender-name'],
      message: a.text,
      messageServerId: a['server-id'],
      messageId,
      source: a.source,
      metadata,
    },
  });
});
socket.on('messageAck', (ack) => {
  if (ack.clientMessageId !== messageId) return;
  console.log(`ACK ${JSON.stringify(ack)}`);
  socket.close();
  process.exit(0);
});
socket.on('connect', () => {
  socket.emit('message', { type: 1, payload: { channelId: a['channel-id'], entityId: a['entity-id'] } });
});
