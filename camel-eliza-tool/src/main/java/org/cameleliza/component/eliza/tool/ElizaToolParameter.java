package org.cameleliza.component.eliza.tool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One parameter of a tool, read from the endpoint's {@code parameter.*} options the way Camel's ai-tool component reads
 * them: {@code parameter.orderId=string}, {@code parameter.orderId.description=...}, {@code parameter.orderId.required=true},
 * {@code parameter.unit.enum=celsius,fahrenheit}.
 */
record ElizaToolParameter(String name, String type, String description, boolean required, List<String> values) {

    static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "object", "array");
    private static final Set<String> ATTRIBUTES = Set.of("description", "required", "enum");

    /** The parameters of the options, in the order their types were given; a mistake fails with the option named. */
    static List<ElizaToolParameter> parse(String tool, Map<String, String> options) {
        Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            int dot = key.indexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            String attribute = dot < 0 ? "type" : key.substring(dot + 1);
            if (dot >= 0 && !ATTRIBUTES.contains(attribute)) {
                throw new IllegalArgumentException("eliza-tool:" + tool + ": parameter." + key + " is not an option: a"
                                                   + " parameter has .description, .required and .enum");
            }
            attributes.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(attribute, value);
        });
        List<ElizaToolParameter> parameters = new ArrayList<>();
        attributes.forEach((name, given) -> {
            String type = given.get("type");
            if (type == null) {
                throw new IllegalArgumentException("eliza-tool:" + tool + ": parameter." + name + " has no type: add"
                                                   + " parameter." + name + "=<type>");
            }
            if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("eliza-tool:" + tool + ": parameter." + name + "=" + type
                                                   + " is not a type: use one of "
                                                   + String.join(", ", TYPES.stream().sorted().toList()));
            }
            String required = given.getOrDefault("required", "false");
            if (!"true".equalsIgnoreCase(required) && !"false".equalsIgnoreCase(required)) {
                throw new IllegalArgumentException("eliza-tool:" + tool + ": parameter." + name + ".required=" + required
                                                   + " must be true or false");
            }
            List<String> values = given.containsKey("enum")
                    ? Arrays.stream(given.get("enum").split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList()
                    : List.of();
            parameters.add(new ElizaToolParameter(name, type.toLowerCase(Locale.ROOT), given.get("description"),
                    Boolean.parseBoolean(required), values));
        });
        return List.copyOf(parameters);
    }

    /** The parameter's JSON schema, as the tool's input schema lists it. */
    Map<String, Object> schema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        if (description != null) {
            schema.put("description", description);
        }
        if (!values.isEmpty()) {
            schema.put("enum", values);
        }
        return schema;
    }
}
