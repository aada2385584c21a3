package org.cameleliza.component.eliza.producer;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.SendDynamicAware;
import org.apache.camel.spi.annotations.SendDynamic;
import org.apache.camel.support.EndpointHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * Makes {@code toD("eliza:${header.room}?agentId=...")} send through one endpoint, and so one producer, for every
 * room: the channel of each message goes into the {@link ElizaConstants#CHANNEL} header, which the producer reads as
 * any input header, and the exchange goes to the endpoint of the URI with the channel as the route wrote it (see
 * {@link ElizaDynamicUri}). Without it, Camel would create an endpoint, a producer and a health check per room (and
 * stop and start them again as they leave its caches of 1000).
 * <p>
 * As with camel-jms's destination header, a {@code CamelElizaChannel} header the exchange already has wins over the
 * URI's channel, as it does on any eliza: send. Options computed per message still make an endpoint per value. Found
 * by Camel through the service file the {@code @SendDynamic} annotation generates.
 */
@SendDynamic("eliza")
public class ElizaSendDynamicAware extends ServiceSupport implements SendDynamicAware {

    private static final String STATIC_URI = "staticUri";
    private static final String CHANNEL = "channel";

    private CamelContext camelContext;
    private String scheme;
    /** The last route URI seen and its placeholders resolved: one toD has one URI, resolved once. */
    private volatile String[] resolvedOriginal;

    @Override
    public String getScheme() {
        return scheme;
    }

    @Override
    public void setScheme(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public boolean isLenientProperties() {
        return false;
    }

    @Override
    public DynamicAwareEntry prepare(Exchange exchange, String uri, String originalUri) throws Exception {
        if (originalUri == null) {
            return null;
        }
        ElizaDynamicUri dynamic = ElizaDynamicUri.parse(scheme, uri, resolvePlaceholders(originalUri));
        if (dynamic == null) {
            // the channel is not computed per message: Camel's toD as usual
            return null;
        }
        return new DynamicAwareEntry(uri, originalUri,
                Map.of(STATIC_URI, dynamic.staticUri(), CHANNEL, dynamic.channel()), null);
    }

    private String resolvePlaceholders(String originalUri) {
        String[] last = resolvedOriginal;
        if (last != null && last[0].equals(originalUri)) {
            return last[1];
        }
        String resolved = EndpointHelper.resolveEndpointUriPropertyPlaceholders(camelContext, originalUri);
        resolvedOriginal = new String[] { originalUri, resolved };
        return resolved;
    }

    @Override
    public String resolveStaticUri(Exchange exchange, DynamicAwareEntry entry) {
        return (String) entry.getProperties().get(STATIC_URI);
    }

    @Override
    public Processor createPreProcessor(Exchange exchange, DynamicAwareEntry entry) {
        if (exchange.getMessage().getHeader(ElizaConstants.CHANNEL) != null) {
            // the header overrides the URI's channel on any eliza: send; toD does not change that
            return null;
        }
        String channel = (String) entry.getProperties().get(CHANNEL);
        return target -> target.getMessage().setHeader(ElizaConstants.CHANNEL, channel);
    }

    @Override
    public Processor createPostProcessor(Exchange exchange, DynamicAwareEntry entry) {
        // the producer consumes the header: nothing to clean up
        return null;
    }
}
