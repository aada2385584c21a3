package org.cameleliza.component.eliza;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaIdsTest {

    @Test
    void channelNameMapsToTheSameUuidEveryTime() {
        String first = ElizaIds.channelId("support");
        assertThat(first).isEqualTo(ElizaIds.channelId("support"));
        assertThat(ElizaIds.isUuid(first)).isTrue();
        assertThat(first).isNotEqualTo(ElizaIds.channelId("Support"));
        // the documented mapping, reproducible in any language: MD5 name-based UUID of "camel-eliza:channel:<name>"
        assertThat(first).isEqualTo(UUID.nameUUIDFromBytes("camel-eliza:channel:support".getBytes()).toString());
    }

    @Test
    void uuidChannelIsUsedAsIs() {
        assertThat(ElizaIds.channelId("6F7AD3E2-3C1D-4B57-9D0C-6A4F1B2C3D4E"))
                .isEqualTo("6f7ad3e2-3c1d-4b57-9d0c-6a4f1b2c3d4e");
    }

    @Test
    void blankChannelIsRefused() {
        assertThatThrownBy(() -> ElizaIds.channelId(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel must not be empty");
    }

    @Test
    void invalidUuidNamesTheOption() {
        assertThatThrownBy(() -> ElizaIds.requireUuid("agent-007", "agentId"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agentId").hasMessageContaining("agent-007");
        assertThat(ElizaIds.requireUuid(null, "agentId")).isNull();
    }

    @Test
    void defaultEntityIdIsStableAndDependsOnContextAndSender() {
        String id = ElizaIds.defaultEntityId("camel-1", "Camel");
        assertThat(id).isEqualTo(ElizaIds.defaultEntityId("camel-1", "Camel"));
        assertThat(id).isNotEqualTo(ElizaIds.defaultEntityId("camel-2", "Camel"));
        assertThat(id).isNotEqualTo(ElizaIds.defaultEntityId("camel-1", "Billing"));
    }
}
