package org.cameleliza.component.eliza;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.spi.UriParam;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated eliza.json (what tooling, Camel JBang and the docs read) documents every option and header.
 */
class ElizaMetadataTest {

    private static JsonNode json() throws Exception {
        try (InputStream in = ElizaMetadataTest.class
                .getResourceAsStream("/META-INF/org/cameleliza/component/eliza/eliza.json")) {
            assertThat(in).as("generated eliza.json on the classpath").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyOptionIsListedWithADescription() throws Exception {
        JsonNode properties = json().get("properties");
        List<String> options = new ArrayList<>();
        // the options of ElizaConfiguration and of the classes it extends (transport, connection)
        for (Class<?> type = ElizaConfiguration.class; type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(UriParam.class)) {
                    options.add(field.getName());
                }
            }
        }
        assertThat(options).contains("url", "entityId", "senderName", "agentId", "messageServerId", "apiKey", "source");
        for (String option : options) {
            assertThat(properties.has(option)).as(option).isTrue();
            assertThat(properties.get(option).get("description").asText()).as(option).isNotBlank();
        }
        assertThat(properties.get("channel").get("required").asBoolean()).isTrue();
        assertThat(properties.get("apiKey").get("secret").asBoolean()).isTrue();
    }

    @Test
    void everyHeaderIsListedWithADescription() throws Exception {
        JsonNode headers = json().get("headers");
        int count = 0;
        for (Field field : ElizaConstants.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String header = (String) field.get(null);
                assertThat(headers.has(header)).as(header).isTrue();
                assertThat(headers.get(header).get("description").asText()).as(header).isNotBlank();
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(8);
    }

    @Test
    void componentIsDescribedAsAnAiComponent() throws Exception {
        JsonNode component = json().get("component");
        assertThat(component.get("scheme").asText()).isEqualTo("eliza");
        assertThat(component.get("syntax").asText()).isEqualTo("eliza:channel");
        assertThat(component.get("label").asText()).contains("ai");
        Map<?, ?> asMap = new ObjectMapper().convertValue(component, Map.class);
        assertThat(asMap.get("description").toString()).isNotBlank();
    }
}
