package org.cameleliza.component.eliza.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.cameleliza.component.eliza.ElizaBodyType;
import org.cameleliza.component.eliza.ElizaConstants;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElizaMessageMapperTest {

    /**
     * One payload reaches every consumer of a channel and the reply tracker: a route that changes its map body (or the
     * attachments header) must not change what another exchange, or the tracker, sees.
     */
    @Test
    @SuppressWarnings("unchecked")
    void eachMessageGetsAPayloadOfItsOwn() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", "m-1");
        payload.put("text", "hello");
        payload.put("metadata", new LinkedHashMap<>(Map.of("tag", "a")));
        payload.put("attachments", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("url", "http://x/1")))));
        try (CamelContext context = new DefaultCamelContext()) {
            Message first = new DefaultMessage(context);
            Message second = new DefaultMessage(context);
            ElizaMessageMapper.toMessage(first, ElizaEvents.MESSAGE_BROADCAST, payload, ElizaBodyType.map);
            ElizaMessageMapper.toMessage(second, ElizaEvents.MESSAGE_BROADCAST, payload, ElizaBodyType.map);

            Map<String, Object> body = first.getBody(Map.class);
            body.put("text", "changed by a route");
            ((Map<String, Object>) body.get("metadata")).put("tag", "changed");
            ((List<Object>) first.getHeader(ElizaConstants.ATTACHMENTS, List.class)).clear();

            Map<String, Object> other = second.getBody(Map.class);
            assertThat(other).containsEntry("text", "hello");
            assertThat((Map<String, Object>) other.get("metadata")).containsEntry("tag", "a");
            assertThat(second.getHeader(ElizaConstants.ATTACHMENTS, List.class)).hasSize(1);
            assertThat(payload).containsEntry("text", "hello");
            assertThat((Map<String, Object>) payload.get("metadata")).containsEntry("tag", "a");
            assertThat((List<Object>) payload.get("attachments")).hasSize(1);
        }
    }
}
