package org.cameleliza.component.eliza.producer;

import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.processor.SendDynamicAwareResolver;
import org.apache.camel.spi.SendDynamicAware;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What toD does with an eliza: URI, step by step as Camel's SendDynamicProcessor calls it, without a server
 * (ElizaSendDynamicIT sends over 100 rooms through it).
 */
class ElizaSendDynamicAwareTest extends CamelTestSupport {

    private static final String ROUTE_URI = "eliza:${header.room}?senderName={{team}}";

    private SendDynamicAware aware() throws Exception {
        Properties properties = new Properties();
        properties.put("team", "Ops");
        context.getPropertiesComponent().setOverrideProperties(properties);
        // as Camel finds it: the service file generated from @SendDynamic("eliza")
        SendDynamicAware aware = new SendDynamicAwareResolver().resolve(context, "eliza");
        assertThat(aware).isInstanceOf(ElizaSendDynamicAware.class);
        aware.setScheme("eliza");
        aware.setCamelContext(context);
        return aware;
    }

    private Exchange exchange() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("hello");
        return exchange;
    }

    @Test
    void aComputedChannelGoesIntoTheChannelHeaderAndEveryRoomSharesOneUri() throws Exception {
        SendDynamicAware aware = aware();
        Exchange exchange = exchange();

        SendDynamicAware.DynamicAwareEntry entry = aware.prepare(exchange, "eliza:room-1?senderName=Ops", ROUTE_URI);
        SendDynamicAware.DynamicAwareEntry other = aware.prepare(exchange(), "eliza:room-2?senderName=Ops", ROUTE_URI);

        // the property placeholder resolved, the expression kept: one URI (so one endpoint) for both rooms
        assertThat(aware.resolveStaticUri(exchange, entry)).isEqualTo("eliza:${header.room}?senderName=Ops")
                .isEqualTo(aware.resolveStaticUri(exchange, other));
        Processor pre = aware.createPreProcessor(exchange, entry);
        pre.process(exchange);
        assertThat(exchange.getMessage().getHeader(ElizaConstants.CHANNEL)).isEqualTo("room-1");
        assertThat(aware.createPostProcessor(exchange, entry)).isNull();
    }

    @Test
    void aChannelHeaderTheExchangeHasWinsAsOnAnyElizaSend() throws Exception {
        SendDynamicAware aware = aware();
        Exchange exchange = exchange();
        exchange.getMessage().setHeader(ElizaConstants.CHANNEL, "set-by-the-route");

        SendDynamicAware.DynamicAwareEntry entry = aware.prepare(exchange, "eliza:room-1?senderName=Ops", ROUTE_URI);

        assertThat(aware.createPreProcessor(exchange, entry)).isNull();
        assertThat(exchange.getMessage().getHeader(ElizaConstants.CHANNEL)).isEqualTo("set-by-the-route");
    }

    @Test
    void aStaticChannelLeavesToDAsItIs() throws Exception {
        SendDynamicAware aware = aware();

        assertThat(aware.prepare(exchange(), "eliza:support?senderName=Ops", "eliza:support?senderName=${header.t}"))
                .isNull();
    }
}
