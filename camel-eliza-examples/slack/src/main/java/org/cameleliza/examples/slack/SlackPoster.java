package org.cameleliza.examples.slack;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Posts the body to Slack with camel-slack's producer, so that a refusal fails the exchange where the route's error
 * handler sees it.
 * <p>
 * Why not a plain {@code to("slack:...")}: camel-slack 4.18 tells Camel the exchange is done before it records
 * Slack's refusal ({@code "ok": false} from {@code chat.postMessage}, such as {@code channel_not_found}; a webhook
 * answering 4xx or 5xx), so the route's error handler never sees it: no redelivery, no handling, the message is lost
 * with a WARN from the consumer. Calling the producer synchronously and returning afterwards lets the refusal reach
 * the error handler like any other failure. (Connection failures and HTTP errors of the Web API were never affected.)
 */
public final class SlackPoster extends ServiceSupport implements Processor {

    private final String uri;
    private volatile ProducerTemplate template;

    public SlackPoster(String uri) {
        this.uri = uri;
    }

    @Override
    public void process(Exchange exchange) {
        // the exchange itself goes through the producer: a refusal stays on it as its exception
        template(exchange).send(uri, exchange);
    }

    private ProducerTemplate template(Exchange exchange) {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = exchange.getContext().createProducerTemplate();
                }
                current = template;
            }
        }
        return current;
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(template);
        template = null;
    }

    @Override
    public String toString() {
        // the route's description names the endpoint, never its credentials (they are RAW() placeholders here)
        return "SlackPoster[" + uri + "]";
    }
}
