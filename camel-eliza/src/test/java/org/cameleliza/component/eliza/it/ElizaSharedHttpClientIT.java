package org.cameleliza.component.eliza.it;

import java.util.UUID;

import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.DefaultElizaHttpClientFactory;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client from the user's factory is the user's, even when the factory extends the default one: closing the
 * connections that used it leaves it running.
 */
class ElizaSharedHttpClientIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    /** One client for every connection, as an application shares its OkHttp client. */
    static final class SharedClientFactory extends DefaultElizaHttpClientFactory {
        private OkHttpClient shared;

        @Override
        public synchronized OkHttpClient createClient(ElizaConnectionSettings settings, CamelContext context)
                throws Exception {
            if (shared == null) {
                shared = super.createClient(settings, context);
            }
            return shared;
        }
    }

    @Test
    void aSharedClientOfASubclassIsNeverShutDown() throws Exception {
        SharedClientFactory factory = new SharedClientFactory();
        context.getRegistry().bind("sharedClients", factory);
        String base = "eliza:shared-client-" + UUID.randomUUID() + "?url=" + eliza.url() + "&httpClientFactory=#sharedClients";
        // two entities: two connections on the one client
        String one = base + "&entityId=" + UUID.randomUUID();
        String two = base + "&entityId=" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:one").routeId("one").to(one);
                from("direct:two").routeId("two").to(two);
            }
        });
        assertThat(template.send("direct:one", e -> e.getMessage().setBody("one")).getException()).isNull();
        assertThat(template.send("direct:two", e -> e.getMessage().setBody("two")).getException()).isNull();

        context.getRouteController().stopRoute("one");
        context.removeRoute("one");
        context.removeEndpoints(one);
        assertThat(factory.shared.dispatcher().executorService().isShutdown()).isFalse();
        assertThat(template.send("direct:two", e -> e.getMessage().setBody("still up")).getException()).isNull();

        context.stop();
        assertThat(factory.shared.dispatcher().executorService().isShutdown()).isFalse();
        factory.shared.dispatcher().executorService().shutdown();
    }
}
