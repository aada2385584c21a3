package org.cameleliza.component.eliza.tool;

import org.apache.camel.spi.Metadata;

/**
 * The headers of the Eliza Tool component. Besides these, every argument of a call is a header of its own, named as the
 * tool's parameter (as camel-langchain4j-tools does), and the body is the call's arguments as a JSON object.
 */
public final class ElizaToolConstants {

    @Metadata(description = "The name of the tool the agent called.", javaType = "String")
    public static final String TOOL_NAME = "CamelElizaToolName";
    @Metadata(description = "The arguments of the call, by parameter name, as the MCP client sent them.",
              javaType = "java.util.Map<String, Object>")
    public static final String TOOL_ARGUMENTS = "CamelElizaToolArguments";
    @Metadata(description = "Set by the route to true to answer its result as a tool error (MCP isError): the agent sees"
                            + " the body as the error's text, for a failure the route handled itself (an order that"
                            + " does not exist, a refused request).",
              javaType = "Boolean")
    public static final String TOOL_ERROR = "CamelElizaToolError";

    private ElizaToolConstants() {
    }
}
