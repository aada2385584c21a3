package org.cameleliza.component.eliza.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Boot metadata IDEs read (written by spring-boot-configuration-processor from the generated
 * ElizaComponentConfiguration) must offer every option of the component, in kebab case, with the component's own
 * description and default.
 */
class ElizaStarterMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyComponentOptionIsASpringBootPropertyWithItsDescriptionAndDefault() throws IOException {
        JsonNode component = read("META-INF/org/cameleliza/component/eliza/eliza.json").get("componentProperties");
        Map<String, JsonNode> properties = new HashMap<>();
        read("META-INF/spring-configuration-metadata.json").get("properties")
                .forEach(p -> properties.put(p.get("name").asText(), p));

        assertThat(component.size()).isGreaterThan(30);
        for (Iterator<Map.Entry<String, JsonNode>> it = component.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> option = it.next();
            String name = "camel.component.eliza." + kebab(option.getKey());
            assertThat(properties).as(name).containsKey(name);
            JsonNode property = properties.get(name);
            assertThat(property.path("description").asText()).as(name)
                    .startsWith(firstSentence(option.getValue().path("description").asText()));
            JsonNode defaultValue = option.getValue().get("defaultValue");
            if (defaultValue != null && !defaultValue.isNull()) {
                assertThat(property.path("defaultValue").asText()).as(name).isEqualTo(defaultValue.asText());
            }
        }
        assertThat(properties).containsKeys("camel.component.eliza.enabled", "camel.component.eliza.url",
                "camel.component.eliza.entity-id", "camel.component.eliza.api-key");
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = ElizaStarterMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        }
    }
}
