package org.cameleliza.component.eliza.it;

import java.util.Set;
import java.util.UUID;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection state is visible through JMX, on the endpoint's MBean, without credentials.
 */
class ElizaJmxIT extends CamelTestSupport {

    private static final String KEY = "jmx-key-" + UUID.randomUUID();

    @RegisterExtension
    // behind a gateway that hides the server's version: the line is inferred from the REST routes it offers
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(
            b -> b.apiKey(KEY).environment("ELIZA_TEST_HIDDEN_ROUTES", "/api/system/version"));

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Test
    void connectionStateIsAnEndpointAttribute() throws Exception {
        String channel = "jmx-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?url=" + eliza.url() + "&apiKey=" + KEY).to("mock:jmx");
            }
        });
        MBeanServer mbeans = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null);
        ObjectName endpoint = names.stream().filter(n -> n.toString().contains(channel)).findFirst().orElseThrow();

        assertThat(endpoint.toString()).doesNotContain(KEY);
        assertThat(mbeans.getAttribute(endpoint, "ConnectionState")).isEqualTo("CONNECTED");
        assertThat(mbeans.getAttribute(endpoint, "ConnectAttempts")).isEqualTo(1);
        assertThat(mbeans.getAttribute(endpoint, "Disconnects")).isEqualTo(0);
        assertThat((String) mbeans.getAttribute(endpoint, "ChannelId")).isNotBlank();
        assertThat(mbeans.getAttribute(endpoint, "ConnectionLastError")).isNull();
        assertThat(mbeans.getAttribute(endpoint, "ChannelJoined")).isEqualTo(true);
        assertThat(mbeans.getAttribute(endpoint, "ServerVersion")).isEqualTo("1.6 or later");
    }
}
