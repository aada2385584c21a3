package org.cameleliza.component.eliza;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option and header tables of the docs, generated from a component's metadata (its {@code <scheme>.json}) between
 * marker comments: {@code <!-- BEGIN GENERATED name (Test) -->} and {@code <!-- END GENERATED name -->}. Shared by the
 * docs tests of every module with a component.
 */
public final class DocsTables {

    private DocsTables() {
    }

    /** The doc with the table between the markers of the given name, written by the given test. */
    public static String replace(String doc, String test, String name, String table) {
        String begin = "<!-- BEGIN GENERATED " + name + " (" + test + ") -->\n";
        String end = "<!-- END GENERATED " + name + " -->";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        assertThat(from).as("marker " + begin.trim()).isGreaterThanOrEqualTo(0);
        assertThat(to).as("marker " + end).isGreaterThan(from);
        return doc.substring(0, from + begin.length()) + table + doc.substring(to);
    }

    public static String optionTable(JsonNode properties) {
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

    public static String headerTable(JsonNode headers) {
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
