package org.cameleliza.component.eliza.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.modelcontextprotocol.spec.McpSchema;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;

/**
 * A Camel route as a tool an elizaOS agent calls over MCP: {@code from("eliza-tool:lookupOrder?description=Look up an
 * order&parameter.orderId=string")}. The call's arguments reach the route as headers named as the parameters, and as a
 * JSON object in the body; the route's result is the tool's result, and a failure is a tool error the agent reads.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "eliza-tool", title = "Eliza Tool", syntax = "eliza-tool:name",
             consumerOnly = true, category = { Category.AI }, headersClass = ElizaToolConstants.class)
public class ElizaToolEndpoint extends DefaultEndpoint {

    /** What MCP clients accept as a tool name; elizaOS turns it into the action SERVER_NAME, upper case. */
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @UriPath(description = "The tool's name, as the agent sees it (letters, digits, _ . -; at most 64).")
    @Metadata(required = true)
    private final String name;
    @UriParam(description = "What the tool does and when to use it: the agent's model reads it to decide whether to"
                            + " call the tool.")
    @Metadata(required = true)
    private String description;
    @UriParam(description = "A human-readable title of the tool, for clients that show one.")
    private String title;
    @UriParam(prefix = "parameter.", multiValue = true,
              description = "The tool's parameters, in the conventions of Camel's ai-tool component:"
                            + " parameter.NAME=TYPE (string, integer, number, boolean, object or array), and for each"
                            + " optionally parameter.NAME.description=TEXT (the model reads it to fill the argument"
                            + " in), parameter.NAME.required=true and parameter.NAME.enum=A,B,C.")
    private Map<String, String> parameters = new LinkedHashMap<>();
    @UriParam(defaultValue = "30000", javaType = "java.time.Duration",
              description = "How long the agent waits for the route: a call that takes longer is answered with a tool"
                            + " error, and the route's late result is dropped. Keep it below the agent's own timeout"
                            + " (timeoutInMillis of the MCP server's settings, 60 seconds by default): when that runs"
                            + " out first, elizaOS drops the agent's whole answer.")
    private long timeout = 30000;
    private List<ElizaToolParameter> toolParameters = List.of();

    public ElizaToolEndpoint(String uri, ElizaToolComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public ElizaToolComponent getComponent() {
        return (ElizaToolComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(
                "eliza-tool: is a consumer only (from(\"eliza-tool:" + name + "...\")): the agent calls the route");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ElizaToolConsumer consumer = new ElizaToolConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    /** Checks the options at endpoint creation, so a mistake fails the route before any agent calls it. */
    void validate() {
        if (ObjectHelper.isEmpty(name) || !TOOL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("eliza-tool:" + name + ": a tool name has 1 to 64 letters, digits, _ . or -");
        }
        if (ObjectHelper.isEmpty(description)) {
            throw new IllegalArgumentException("eliza-tool:" + name + ": the description option is required: the agent's"
                                               + " model reads it to decide when to call the tool");
        }
        toolParameters = ElizaToolParameter.parse(name, parameters);
        if (timeout <= 0) {
            throw new IllegalArgumentException("eliza-tool:" + name + ": timeout must be positive, not " + timeout);
        }
    }

    /** The tool as MCP lists it: name, description and a JSON schema of its parameters. */
    McpSchema.Tool tool() {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ElizaToolParameter parameter : toolParameters) {
            properties.put(parameter.name(), parameter.schema());
            if (parameter.required()) {
                required.add(parameter.name());
            }
        }
        return McpSchema.Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(new McpSchema.JsonSchema("object", properties, required, null, null, null))
                .build();
    }

    /** The tool's name, as the agent sees it. */
    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    /** What the tool does and when to use it. */
    public void setDescription(String description) {
        this.description = description;
    }

    public String getTitle() {
        return title;
    }

    /** A human-readable title of the tool. */
    public void setTitle(String title) {
        this.title = title;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    /** The tool's parameters: name to type, and name.description / name.required / name.enum to their values. */
    public void setParameters(Map<String, String> parameters) {
        this.parameters = new LinkedHashMap<>(parameters);
    }

    public long getTimeout() {
        return timeout;
    }

    /** How long the agent waits for the route, in milliseconds. */
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }
}
