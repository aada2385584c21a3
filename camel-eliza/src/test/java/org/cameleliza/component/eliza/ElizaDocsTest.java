package org.cameleliza.component.eliza;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option and header tables of docs/eliza-component.md are generated from eliza.json, between marker comments.
 * This test fails when they are stale; run it with -Deliza.docs.update=true to rewrite them.
 */
class ElizaDocsTest {

    private static final Path DOC = Paths.get("../docs/eliza-component.md");

    @Test
    void tablesInTheComponentPageMatchElizaJson() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/org/cameleliza/component/eliza/eliza.json")) {
            json = new ObjectMapper().readTree(in);
        }
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String updated = replace(doc, "component-options", optionTable(json.get("componentProperties")));
        updated = replace(updated, "endpoint-options", optionTable(json.get("properties")));
        updated = replace(updated, "headers", headerTable(json.get("headers")));
        if (Boolean.getBoolean("eliza.docs.update")) {
            Files.writeString(DOC, updated, StandardCharsets.UTF_8);
            return;
        }
        assertThat(doc).as("docs/eliza-component.md is stale: run this test with -Deliza.docs.update=true")
                .isEqualTo(updated);
    }

    private static String replace(String doc, String name, String table) {
        String begin = "<!-- BEGIN GENERATED " + name + " (ElizaDocsTest) -->\n";
        String end = "<!-- END GENERATED " + name + " -->";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        assertThat(from).as("marker " + begin.trim()).isGreaterThanOrEqualTo(0);
        assertThat(to).as("marker " + end).isGreaterThan(from);
        return doc.substring(0, from + begin.length()) + table + doc.substring(to);
    }

    private static String optionTable(JsonNode properties) {
        StringBuilder sb = new StringBuilder("| Name | Kind | Group | Default | Type | Description |\n"
                                             + "|---|---|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            sb.append("| ").append(e.getKey())
                    .append(p.path("required").asBoolean() ? " (required)" : "")
                    .append(p.path("secret").asBoolean() ? " (secret)" : "")
                    .append(" | ").append(p.path("kind").asText())
                    .append(" | ").append(p.path("group").asText())
                    .append(" | ").append(p.has("defaultValue") ? "`" + p.get("defaultValue").asText() + "`" : "")
                    .append(" | ").append(p.path("type").asText())
                    .append(" | ").append(cell(p.path("description").asText())).append(" |\n");
        }
        return sb.toString();
    }

    private static String headerTable(JsonNode headers) {
        StringBuilder sb = new StringBuilder("| Header | Group | Type | Description |\n|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode h = e.getValue();
            sb.append("| `").append(e.getKey()).append("` | ").append(h.path("group").asText())
                    .append(" | `").append(h.path("javaType").asText()).append("` | ")
                    .append(cell(h.path("description").asText())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
