package org.cameleliza.component.eliza;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

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
        String test = getClass().getSimpleName();
        String updated = DocsTables.replace(doc, test, "component-options",
                DocsTables.optionTable(json.get("componentProperties")));
        updated = DocsTables.replace(updated, test, "endpoint-options", DocsTables.optionTable(json.get("properties")));
        updated = DocsTables.replace(updated, test, "headers", DocsTables.headerTable(json.get("headers")));
        if (Boolean.getBoolean("eliza.docs.update")) {
            Files.writeString(DOC, updated, StandardCharsets.UTF_8);
            return;
        }
        assertThat(doc).as("docs/eliza-component.md is stale: run this test with -Deliza.docs.update=true")
                .isEqualTo(updated);
    }
}
