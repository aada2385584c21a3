package org.cameleliza.component.eliza.tool;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.PropertiesHelper;

/**
 * Serves Camel routes as tools that elizaOS agents call over the Model Context Protocol (MCP). The component runs one MCP
 * server (streamable HTTP, stateless) for all its endpoints, on an HTTP server of its own or, with platformHttp, on the
 * application's platform-http server; an agent's character lists its URL among the servers of {@code @elizaos/plugin-mcp}.
 */
@Component("eliza-tool")
public class ElizaToolComponent extends DefaultComponent {

    /** The component that serves the MCP endpoint with platformHttp. */
    private static final String PLATFORM_HTTP = "platform-http";

    @Metadata(defaultValue = "false",
              description = "Serves the MCP endpoint on the application's platform-http server (Spring Boot's, Quarkus's,"
                            + " or Camel Main's, configured by camel.server options) instead of an HTTP server of its"
                            + " own: path is then a path of that server, whose port, TLS and authentication apply, and"
                            + " host and port are not used. Needs the platform-http component of the runtime"
                            + " (camel-platform-http-starter, camel-quarkus-platform-http or camel-platform-http-main);"
                            + " the component adds a route (eliza-tool-mcp for the path /mcp) that consumes from"
                            + " platform-http. Without the embedded server's Host check: the Origin check keeps browsers"
                            + " out.")
    private boolean platformHttp;
    @Metadata(defaultValue = "127.0.0.1",
              description = "The address the MCP server listens on. The loopback address by default: an agent on another"
                            + " machine needs 0.0.0.0 (or one interface's address) and, then, a bearerToken. Not used"
                            + " with platformHttp.")
    private String host = "127.0.0.1";
    @Metadata(defaultValue = "8765", description = "The port of the MCP server; 0 takes any free port (see getUrl())."
                                                   + " Not used with platformHttp.")
    private int port = 8765;
    @Metadata(defaultValue = "/mcp",
              description = "The path of the MCP endpoint (with platformHttp: on the platform-http server).")
    private String path = "/mcp";
    @Metadata(label = "security", secret = true,
              description = "When set, every MCP request must carry the header Authorization: Bearer TOKEN; others are"
                            + " answered 401. elizaOS's MCP plugin sends it when the server's settings have"
                            + " headers: { Authorization: 'Bearer TOKEN' }.")
    private String bearerToken;
    @Metadata(label = "security",
              description = "The browser origins (scheme://host:port, comma separated, or *) whose requests are served."
                            + " Requests with any other Origin header are refused (403), as the MCP specification asks"
                            + " against DNS rebinding; clients outside a browser send none.")
    private String allowedOrigins;
    @Metadata(defaultValue = "camel-eliza", description = "The server name the MCP server gives its clients.")
    private String serverName = "camel-eliza";
    @Metadata(label = "advanced", defaultValue = "false",
              description = "Serves a stream of notifications (HTTP GET) and sends notifications/tools/list_changed on"
                            + " it when a tool route starts or stops. Off by default: elizaOS's MCP plugin (1.8.2)"
                            + " ignores the notification, and drops a server whose stream it cannot open again within"
                            + " about 3 seconds, which a restart of the application takes. For other MCP clients;"
                            + " the embedded server's only (not with platformHttp).")
    private boolean toolChangeNotifications;

    private ElizaToolServer server;
    private ExecutorService executor;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ElizaToolEndpoint endpoint = new ElizaToolEndpoint(uri, this, remaining);
        // multi-value option: parameter.<name>[.description|.required|.enum]=<value>
        Map<String, Object> toolParameters = PropertiesHelper.extractProperties(parameters, "parameter.");
        setProperties(endpoint, parameters);
        toolParameters.forEach((key, value) -> endpoint.getParameters().put(key, String.valueOf(value)));
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (ObjectHelper.isEmpty(path) || !path.startsWith("/")) {
            throw new IllegalArgumentException("The eliza-tool component's path must start with /, not: " + path);
        }
        if (platformHttp) {
            checkPlatformHttp();
        }
        server = new ElizaToolServer(this);
        // a thread per open request: a route runs on the thread of its call, as on Camel's other HTTP consumers, and a
        // slow tool must not hold up the calls of the others (a pool that queues would)
        executor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "ElizaToolServer");
        if (!platformHttp) {
            server.bind(host, port, executor);
        }
        // clients are served once every route has started, so an agent that connects now sees all tools at once
        getCamelContext().addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                if (alreadyStarted) {
                    open();
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                open();
            }
        });
    }

    /** Fails the start, rather than the first request, when platformHttp cannot work. */
    private void checkPlatformHttp() {
        if (toolChangeNotifications) {
            throw new IllegalArgumentException(
                    "The eliza-tool component's toolChangeNotifications needs its embedded server: not with platformHttp");
        }
        if (getCamelContext().getComponent(PLATFORM_HTTP) == null) {
            throw new IllegalStateException(
                    "The eliza-tool component's platformHttp needs the platform-http component: add"
                                            + " camel-platform-http-main (Camel Main, with camel.server.enabled=true),"
                                            + " camel-platform-http-starter (Spring Boot) or camel-quarkus-platform-http"
                                            + " (Quarkus)");
        }
    }

    private void open() throws Exception {
        if (platformHttp && getCamelContext().getRoute(platformHttpRouteId()) == null) {
            // a route can be added once the context has started (not from a component's start, nor earlier listeners)
            ElizaToolPlatformHttpProcessor processor = server.platformHttpProcessor(executor);
            getCamelContext().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // every method reaches the processor: it answers 405 with the Allow header MCP clients read
                    from(PLATFORM_HTTP + ":" + path).routeId(platformHttpRouteId()).process(processor);
                }
            });
        }
        server.open();
    }

    /** The route that serves the MCP endpoint with platformHttp: eliza-tool-mcp for the path /mcp. */
    String platformHttpRouteId() {
        return "eliza-tool" + path.replace('/', '-');
    }

    @Override
    protected void doStop() throws Exception {
        if (platformHttp && !getCamelContext().isStopping() && getCamelContext().getRoute(platformHttpRouteId()) != null) {
            // this component alone stops: its endpoint goes with it (when the context stops, it stops the route itself)
            getCamelContext().getRouteController().stopRoute(platformHttpRouteId());
            getCamelContext().removeRoute(platformHttpRouteId());
        }
        if (server != null) {
            server.stop();
            server = null;
        }
        if (executor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    ElizaToolServer server() {
        if (server == null) {
            throw new IllegalStateException("The eliza-tool component is not started");
        }
        return server;
    }

    /**
     * The URL of the MCP endpoint once the component has started (with the port taken when port is 0), else null; null
     * with platformHttp too, whose server's address the component does not know.
     */
    public String getUrl() {
        ElizaToolServer current = server;
        return current == null ? null : current.url();
    }

    /** The names of the tools served now: those whose routes run. */
    public List<String> getToolNames() {
        ElizaToolServer current = server;
        return current == null ? List.of() : current.toolNames().stream().sorted().toList();
    }

    List<String> allowedOriginList() {
        if (ObjectHelper.isEmpty(allowedOrigins)) {
            return List.of();
        }
        return Arrays.stream(allowedOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static String version() {
        String version = ElizaToolComponent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public boolean isPlatformHttp() {
        return platformHttp;
    }

    /** Serves the MCP endpoint on the application's platform-http server instead of an HTTP server of its own. */
    public void setPlatformHttp(boolean platformHttp) {
        this.platformHttp = platformHttp;
    }

    public String getHost() {
        return host;
    }

    /** The address the MCP server listens on. */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /** The port of the MCP server; 0 takes any free port. */
    public void setPort(int port) {
        this.port = port;
    }

    public String getPath() {
        return path;
    }

    /** The path of the MCP endpoint. */
    public void setPath(String path) {
        this.path = path;
    }

    public String getBearerToken() {
        return bearerToken;
    }

    /** The token every MCP request must carry as Authorization: Bearer. */
    public void setBearerToken(String bearerToken) {
        this.bearerToken = bearerToken;
    }

    public String getAllowedOrigins() {
        return allowedOrigins;
    }

    /** The browser origins whose requests are served. */
    public void setAllowedOrigins(String allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public String getServerName() {
        return serverName;
    }

    /** The server name the MCP server gives its clients. */
    public void setServerName(String serverName) {
        this.serverName = serverName;
    }

    public boolean isToolChangeNotifications() {
        return toolChangeNotifications;
    }

    /** Serves a stream of notifications and sends notifications/tools/list_changed on it. */
    public void setToolChangeNotifications(boolean toolChangeNotifications) {
        this.toolChangeNotifications = toolChangeNotifications;
    }
}
