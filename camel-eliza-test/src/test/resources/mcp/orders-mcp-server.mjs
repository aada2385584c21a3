// A small MCP server for the test kit's own tests: tool lookupOrder(orderId) over streamable HTTP (stateless, a server
// and transport per request, as the MCP SDK's stateless example does), from the MCP SDK that @elizaos/plugin-mcp
// installs. An order id starting with "missing" is answered as a failed tool call (isError), every other one with
// "Order <id>: shipped on 2024-05-02 via DHL". Prints "MCP_READY <port>" once it listens on 127.0.0.1; exits when its
// stdin closes (the JVM that started it holds the other end), so it never outlives the test.
// Usage: node orders-mcp-server.mjs [port]   (0 or none: any free port)
import http from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const LOOKUP_ORDER = {
  name: 'lookupOrder',
  description: 'Looks up an order by its number',
  inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
};

function ordersServer() {
  const server = new Server({ name: 'orders', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [LOOKUP_ORDER] }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const orderId = String(request.params.arguments?.orderId ?? '');
    if (orderId.startsWith('missing')) {
      return { isError: true, content: [{ type: 'text', text: `Order ${orderId} does not exist` }] };
    }
    return { content: [{ type: 'text', text: `Order ${orderId}: shipped on 2024-05-02 via DHL` }] };
  });
  return server;
}

const httpServer = http.createServer(async (req, res) => {
  if (req.url !== '/mcp' || req.method !== 'POST') {
    // stateless: no SSE stream to open (GET) and no session to end (DELETE)
    res.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({
      jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null }));
    return;
  }
  const server = ordersServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
});

httpServer.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`MCP_READY ${httpServer.address().port}`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
