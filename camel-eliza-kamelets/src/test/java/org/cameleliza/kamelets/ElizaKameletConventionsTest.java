package org.cameleliza.kamelets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kamelets as the jar ships them (filtered resources under kamelets/ on the classpath) follow the rules the
 * apache/camel-kamelets catalog checks (script/validator), and their templates map each property onto a real option
 * of the eliza component, with the component's own notion of what is a secret.
 */
class ElizaKameletConventionsTest {

    static final List<String> KAMELETS = List.of("eliza-source", "eliza-sink");
    /** A placeholder in a template: {{name}}, {{?name}} (optional) or {{name:default}}. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\??)([A-Za-z0-9-._]+)(?::[^}]*)?}}");
    static final Set<String> TYPES = Set.of("string", "boolean", "integer", "number");
    static final String CREDENTIALS = "urn:camel:group:credentials";
    /**
     * Defaults a Kamelet chooses on purpose unlike the component: the source delivers the agent's answers; the sink is
     * one-way unless its caller is InOut (the component's auto waits for every message to an agent, and the sink's
     * messages all go to one).
     */
    static final Set<String> DIFFERENT_DEFAULTS = Set.of("eliza-source.agentMessagesOnly", "eliza-sink.requestReply");

    static JsonNode elizaOptions;

    @BeforeAll
    static void readComponentMetadata() throws IOException {
        try (InputStream in = resource("META-INF/org/cameleliza/component/eliza/eliza.json").openStream()) {
            elizaOptions = new ObjectMapper().readTree(in).get("properties");
        }
    }

    static URL resource(String name) {
        URL url = ElizaKameletConventionsTest.class.getClassLoader().getResource(name);
        assertThat(url).as(name + " on the classpath").isNotNull();
        return url;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name) {
        try (InputStream in = resource("kamelets/" + name + ".kamelet.yaml").openStream()) {
            return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> node, String... path) {
        Object current = node;
        for (String key : path) {
            assertThat(current).as("parent of " + key).isInstanceOf(Map.class);
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    static Map<String, Map<String, Object>> properties(Map<String, Object> kamelet) {
        return at(kamelet, "spec", "definition", "properties");
    }

    /** Placeholder name to whether every use of it is optional ({{?name}}). */
    static Map<String, Boolean> placeholders(Object node) {
        Map<String, Boolean> found = new LinkedHashMap<>();
        collect(node, found);
        return found;
    }

    private static void collect(Object node, Map<String, Boolean> found) {
        if (node instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                found.merge(m.group(2), !m.group(1).isEmpty(), Boolean::logicalAnd);
            }
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, found));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, found));
        }
    }

    /** The eliza endpoint of the template: its uri and parameters, wherever it sits (from, or a to step). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> elizaEndpoint(Map<String, Object> kamelet) {
        Map<String, Object> from = at(kamelet, "spec", "template", "from");
        if (String.valueOf(from.get("uri")).startsWith("eliza:")) {
            return from;
        }
        for (Object step : (List<Object>) from.get("steps")) {
            Object to = ((Map<String, Object>) step).get("to");
            if (to instanceof Map<?, ?> m && String.valueOf(m.get("uri")).startsWith("eliza:")) {
                return (Map<String, Object>) m;
            }
        }
        throw new AssertionError("no eliza: endpoint in the template of " + kamelet);
    }

    @ParameterizedTest
    @ValueSource(strings = { "eliza-source", "eliza-sink" })
    void metadataFollowsTheCatalogConventions(String name) {
        Map<String, Object> k = load(name);
        assertThat(k.get("apiVersion")).isEqualTo("camel.apache.org/v1");
        assertThat(k.get("kind")).isEqualTo("Kamelet");
        assertThat(at(k, "metadata", "name").toString()).as("file name matches metadata.name").isEqualTo(name);

        String type = at(k, "metadata", "labels", "camel.apache.org/kamelet.type");
        assertThat(type).isIn("source", "sink");
        assertThat(name).endsWith("-" + type);

        Map<String, String> annotations = at(k, "metadata", "annotations");
        assertThat(annotations.get("camel.apache.org/kamelet.support.level")).isIn("Stable", "Preview", "Experimental");
        assertThat(annotations.get("camel.apache.org/catalog.version")).isEqualTo(projectVersion());
        assertThat(annotations.get("camel.apache.org/provider")).isNotBlank();
        assertThat(annotations.get("camel.apache.org/kamelet.group")).isNotBlank();
        String icon = annotations.get("camel.apache.org/kamelet.icon");
        assertThat(icon).startsWith("data:image/svg+xml;base64,");
        assertThat(new String(Base64.getDecoder().decode(icon.substring(icon.indexOf(',') + 1)), StandardCharsets.UTF_8))
                .startsWith("<svg").contains("</svg>");

        String title = at(k, "spec", "definition", "title");
        assertThat(title).endsWith(Character.toUpperCase(type.charAt(0)) + type.substring(1));
        assertThat(at(k, "spec", "definition", "description").toString()).isNotBlank();
        assertThat(at(k, "spec", "definition", "type").toString()).isEqualTo("object");

        List<String> dependencies = at(k, "spec", "dependencies");
        assertThat(dependencies).contains("camel:kamelet", "mvn:org.cameleliza:camel-eliza:" + projectVersion());
        assertThat(dependencies).allSatisfy(d -> assertThat(d).doesNotContain("@"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "eliza-source", "eliza-sink" })
    @SuppressWarnings("unchecked")
    void everyPropertyHasTitleDescriptionTypeAndAFittingDefault(String name) {
        for (Map.Entry<String, Map<String, Object>> e : properties(load(name)).entrySet()) {
            String p = name + "." + e.getKey();
            Map<String, Object> prop = e.getValue();
            String title = (String) prop.get("title");
            assertThat(title).as(p + " title").isNotBlank().doesNotStartWith("The ").doesNotStartWith("A ")
                    .doesNotStartWith("An ");
            for (String word : title.split(" ")) {
                if (!Set.of("of", "and", "or", "to", "the", "a", "an").contains(word)) {
                    assertThat(Character.isUpperCase(word.charAt(0))).as(p + " title word '" + word + "' capitalized")
                            .isTrue();
                }
            }
            assertThat((String) prop.get("description")).as(p + " description").isNotBlank();
            String type = (String) prop.get("type");
            assertThat(type).as(p + " type").isIn(TYPES);
            Object def = prop.get("default");
            if (def != null) {
                switch (type) {
                    case "boolean" -> assertThat(def).as(p + " default").isInstanceOf(Boolean.class);
                    case "integer" -> assertThat(def).as(p + " default").isInstanceOf(Integer.class);
                    default -> assertThat(def).as(p + " default").isInstanceOf(String.class);
                }
                if (prop.get("enum") != null) {
                    assertThat((List<Object>) prop.get("enum")).as(p + " enum").contains(def);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "eliza-source", "eliza-sink" })
    void secretsArePasswordsInTheCredentialsGroupExactlyWhereTheComponentSaysSecret(String name) {
        Map<String, Object> k = load(name);
        Map<String, Object> params = at(elizaEndpoint(k), "parameters");
        List<String> secrets = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : properties(k).entrySet()) {
            String p = name + "." + e.getKey();
            Map<String, Object> prop = e.getValue();
            boolean password = "password".equals(prop.get("format"));
            Object descriptors = prop.get("x-descriptors");
            boolean credentials = descriptors instanceof List<?> l && l.contains(CREDENTIALS);
            assertThat(credentials).as(p + " has the credentials descriptor iff format password").isEqualTo(password);
            if (password) {
                secrets.add(e.getKey());
                assertThat(prop).as(p + " secret without default").doesNotContainKey("default");
                assertThat(prop.get("type")).isEqualTo("string");
            }
            // the eliza option the property feeds
            String option = optionFedBy(params, e.getKey());
            if (option != null) {
                assertThat(elizaOptions.get(option).get("secret").asBoolean()).as(p + " secret like eliza's " + option)
                        .isEqualTo(password);
            }
        }
        assertThat(secrets).containsExactlyInAnyOrder("apiKey", "authToken");
    }

    @ParameterizedTest
    @ValueSource(strings = { "eliza-source", "eliza-sink" })
    void requiredPropertiesAreDeclaredOnceAndUsedWithoutDefault(String name) {
        Map<String, Object> k = load(name);
        List<String> required = at(k, "spec", "definition", "required");
        assertThat(required).doesNotHaveDuplicates().containsExactlyInAnyOrder("url", "channel", "agentId");
        Map<String, Map<String, Object>> props = properties(k);
        Map<String, Boolean> used = placeholders(at(k, "spec", "template"));
        for (String r : required) {
            assertThat(props).as(name + " declares required " + r).containsKey(r);
            assertThat(props.get(r)).as(name + "." + r + " required, so no default").doesNotContainKey("default");
            assertThat(used.get(r)).as(name + "." + r + " used as a mandatory placeholder").isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "eliza-source", "eliza-sink" })
    void theTemplateUsesEveryDeclaredPropertyAndNothingElse(String name) {
        Map<String, Object> k = load(name);
        Map<String, Map<String, Object>> props = properties(k);
        Map<String, Boolean> used = placeholders(at(k, "spec", "template"));
        assertThat(used.keySet()).as(name + ": used = declared").containsExactlyInAnyOrderElementsOf(props.keySet());
        List<String> required = at(k, "spec", "definition", "required");
        for (Map.Entry<String, Map<String, Object>> e : props.entrySet()) {
            boolean mayBeMissing = !required.contains(e.getKey()) && !e.getValue().containsKey("default");
            assertThat(used.get(e.getKey())).as(name + "." + e.getKey() + ": {{?...}} exactly when it may be unset")
                    .isEqualTo(mayBeMissing);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "eliza-source", "eliza-sink" })
    @SuppressWarnings("unchecked")
    void theElizaEndpointGetsEachPropertyAsTheComponentOptionOfTheSameName(String name) {
        Map<String, Object> k = load(name);
        boolean source = name.endsWith("-source");
        Map<String, Object> endpoint = elizaEndpoint(k);
        assertThat(endpoint.get("uri")).isEqualTo("eliza:{{channel}}");
        Map<String, Object> params = at(endpoint, "parameters");
        Map<String, Map<String, Object>> props = properties(k);
        Set<String> fed = new HashSet<>(List.of("channel"));
        for (Map.Entry<String, Object> param : params.entrySet()) {
            JsonNode option = elizaOptions.get(param.getKey());
            assertThat(option).as(name + ": eliza has an option " + param.getKey()).isNotNull();
            // a source configures a consumer, a sink a producer
            assertThat(option.get("label").asText()).as(name + ": " + param.getKey() + " applies")
                    .doesNotContain(source ? "producer" : "consumer");
            Matcher m = PLACEHOLDER.matcher(String.valueOf(param.getValue()));
            assertThat(m.matches()).as(name + ": " + param.getKey() + " is one placeholder").isTrue();
            assertThat(m.group(2)).as(name + ": option and property share the name").isEqualTo(param.getKey());
            fed.add(param.getKey());

            Map<String, Object> prop = props.get(param.getKey());
            String kameletType = (String) prop.get("type");
            String elizaType = option.get("type").asText();
            assertThat(kameletType).as(name + "." + param.getKey() + " type")
                    .isEqualTo("enum".equals(elizaType) ? "string" : elizaType);
            if (prop.get("enum") != null) {
                List<String> elizaEnum = new ArrayList<>();
                option.get("enum").forEach(v -> elizaEnum.add(v.asText()));
                assertThat(elizaEnum).as(name + "." + param.getKey() + " enum").containsAll((List<String>) prop.get("enum"));
            }
            if (prop.containsKey("default") && option.has("defaultValue")
                    && !DIFFERENT_DEFAULTS.contains(name + "." + param.getKey())) {
                assertThat(String.valueOf(prop.get("default"))).as(name + "." + param.getKey() + " default as eliza's")
                        .isEqualTo(option.get("defaultValue").asText());
            }
        }
        assertThat(fed).as(name + ": every property reaches the endpoint").containsExactlyInAnyOrderElementsOf(props.keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSourceFeedsTheSinkAndTheSinkStartsFromTheSource() {
        Map<String, Object> source = at(load("eliza-source"), "spec", "template", "from");
        List<Object> steps = (List<Object>) source.get("steps");
        assertThat(((Map<String, Object>) steps.get(steps.size() - 1)).get("to")).isEqualTo("kamelet:sink");

        Map<String, Object> sink = at(load("eliza-sink"), "spec", "template", "from");
        assertThat(sink.get("uri")).isEqualTo("kamelet:source");
        // Camel headers of the caller (e.g. an Eliza source) never steer the message: removed first
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) sink.get("steps")).get(0);
        assertThat((Map<String, Object>) first.get("removeHeaders")).containsEntry("pattern", "CamelEliza*");
    }

    @Test
    void titlesAndDescriptionsAreUnique() {
        Set<String> titles = new HashSet<>();
        Set<String> descriptions = new HashSet<>();
        for (String name : KAMELETS) {
            Map<String, Object> k = load(name);
            assertThat(titles.add(at(k, "spec", "definition", "title"))).as(name + " title unique").isTrue();
            assertThat(descriptions.add(at(k, "spec", "definition", "description"))).as(name + " description unique")
                    .isTrue();
        }
    }

    @Test
    void resourcesAreFilteredButCamelExpressionsAreLeftAlone() throws IOException {
        for (String name : KAMELETS) {
            String text;
            try (InputStream in = resource("kamelets/" + name + ".kamelet.yaml").openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(text).as(name).doesNotContain("@project.version@").contains("{{url}}");
            if (name.endsWith("-sink")) {
                assertThat(text).contains("${header[conversation-key]}");
            }
        }
    }

    @Test
    void theDocsListEveryPropertyWithItsDefault() throws IOException {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "kamelets.md"));
        for (String name : KAMELETS) {
            // the table of each Kamelet follows its "## <name>" heading
            int section = docs.indexOf("\n## " + name + "\n");
            assertThat(section).as("docs section for " + name).isPositive();
            int end = docs.indexOf("\n## ", section + 1);
            String text = docs.substring(section, end < 0 ? docs.length() : end);
            Map<String, Object> k = load(name);
            List<String> required = at(k, "spec", "definition", "required");
            for (Map.Entry<String, Map<String, Object>> e : properties(k).entrySet()) {
                Object def = e.getValue().get("default");
                String row = "| `" + e.getKey() + "` |" + cell(required.contains(e.getKey()) ? "yes" : "")
                             + cell(def != null ? "`" + def + "`" : "");
                assertThat(text).as(name + " docs row").contains(row);
            }
        }
    }

    /** A Markdown table cell after a "|": " value |", or " |" when empty. */
    private static String cell(String value) {
        return value.isEmpty() ? " |" : " " + value + " |";
    }

    private static String optionFedBy(Map<String, Object> params, String property) {
        for (Map.Entry<String, Object> e : params.entrySet()) {
            Matcher m = PLACEHOLDER.matcher(String.valueOf(e.getValue()));
            if (m.find() && m.group(2).equals(property)) {
                return e.getKey();
            }
        }
        return null;
    }

    static String projectVersion() {
        String version = System.getProperty("project.version");
        assertThat(version).as("-Dproject.version (set by the surefire configuration)").isNotBlank();
        return version;
    }
}
