package org.cameleliza.component.eliza.tool;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server of one {@link ElizaToolComponent}: the MCP Java SDK's stateless server, served by the JDK's HTTP server
 * (embedded) or by the application's platform-http server, and the tools of the routes that run. A tool is listed from
 * the moment its route starts until it stops.
 */
final class ElizaToolServer {

    /** The JDK HTTP server's switch for TCP_NODELAY on its connections (off by default). */
    static final String NODELAY = "sun.net.httpserver.nodelay";

    private static final Logger LOG = LoggerFactory.getLogger(ElizaToolServer.class);

    private final String path;
    private final ElizaToolMcpHandler transport;
    /** The embedded server's handler; null on the platform-http server. */
    private final ElizaToolHttpHandler embedded;
    private final McpStatelessAsyncServer mcp;
    private final Map<String, ElizaToolConsumer> tools = new ConcurrentHashMap<>();
    private HttpServer http;
    private volatile boolean open;

    ElizaToolServer(ElizaToolComponent component) {
        ObjectMapper mapper = new ObjectMapper();
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        this.path = component.getPath();
        this.transport = new ElizaToolMcpHandler(json, component.getBearerToken(),
                Set.copyOf(component.allowedOriginList()));
        // the stream of notifications is the embedded server's only (the component refuses it with platformHttp)
        this.embedded = component.isPlatformHttp()
                ? null : new ElizaToolHttpHandler(path, transport, component.isToolChangeNotifications());
        this.mcp = McpServer.async(transport)
                .serverInfo(component.getServerName(), ElizaToolComponent.version())
                .jsonMapper(json)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(mapper))
                // arguments that do not fit the tool's parameters are answered as a tool error, before the route runs
                .validateToolInputs(true)
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(component.isToolChangeNotifications())
                        .build())
                .build();
    }

    /** Binds the HTTP server: fails here (at the application's start) when the address is taken. */
    void bind(String host, int port, ExecutorService executor) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        // The JDK's server writes a response's headers and body apart; with Nagle's algorithm on, the body waits for
        // the client's delayed ACK of the headers: 40 ms per call on Linux. It reads this property once per JVM, when
        // its first server starts; a value set by the application is left as it is.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        try {
            http = HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new IOException("Cannot serve the eliza-tool MCP server on " + host + ":" + port + ": " + e.getMessage()
                                  + " (set the component's port option to a free port, or 0 for any)", e);
        }
        http.setExecutor(executor);
        http.createContext("/", embedded);
        transport.loopbackOnly(http.getAddress().getAddress().isLoopbackAddress());
        http.start();
    }

    /** The processor of the platform-http route that serves the MCP endpoint. */
    ElizaToolPlatformHttpProcessor platformHttpProcessor(ExecutorService executor) {
        return new ElizaToolPlatformHttpProcessor(transport, executor);
    }

    /** From now on clients are served (before, they are asked to come back). */
    void open() {
        if (open) {
            // the context calls again for every route added later
            return;
        }
        open = true;
        transport.accepting(true);
        LOG.info("Serving {} Camel route(s) as MCP tools at {}", tools.size(),
                http == null ? path + " of the platform-http server" : url());
    }

    void stop() {
        open = false;
        transport.accepting(false);
        mcp.closeGracefully().block();
        if (embedded != null) {
            embedded.closeNotificationStreams();
        }
        if (http != null) {
            http.stop(0);
            http = null;
        }
    }

    /**
     * The address of the MCP endpoint on the embedded server, as an elizaOS character's mcp settings name it; null on the
     * platform-http server, whose address the component does not know.
     */
    String url() {
        if (http == null) {
            return null;
        }
        InetSocketAddress address = http.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort() + path;
    }

    int port() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    void add(ElizaToolConsumer consumer) {
        String name = consumer.getEndpoint().getName();
        ElizaToolConsumer other = tools.putIfAbsent(name, consumer);
        if (other != null && other != consumer) {
            throw new IllegalStateException("The tool " + name + " is already served by route "
                                            + other.getRouteId() + ": give each eliza-tool endpoint its own name");
        }
        mcp.addTool(new McpStatelessServerFeatures.AsyncToolSpecification(consumer.getEndpoint().tool(), consumer::call))
                .block();
        notifyClients();
    }

    void remove(ElizaToolConsumer consumer) {
        String name = consumer.getEndpoint().getName();
        if (tools.remove(name, consumer)) {
            mcp.removeTool(name).onErrorComplete().block();
            notifyClients();
        }
    }

    private void notifyClients() {
        if (embedded != null) {
            embedded.notifyClients(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
        }
    }

    Set<String> toolNames() {
        return Set.copyOf(tools.keySet());
    }

    int notificationStreamCount() {
        return embedded == null ? 0 : embedded.notificationStreamCount();
    }
}
