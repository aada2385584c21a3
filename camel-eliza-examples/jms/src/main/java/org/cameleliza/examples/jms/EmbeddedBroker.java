package org.cameleliza.examples.jms;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An ActiveMQ Artemis broker inside the JVM: persistent (a journal on disk, so an uncommitted or undelivered message
 * survives a broker restart), reachable in-VM, with each work queue's redelivery policy and dead-letter queue. In
 * production point the JMS component at your broker instead and give its queues the same address settings.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** In-VM acceptor ids are per JVM: each broker of a JVM (tests start several) gets its own. */
    private static final AtomicInteger NEXT_VM_ID = new AtomicInteger();

    public static final String DEAD_LETTERS = "DLQ";
    public static final String EXPIRED = "ExpiryQueue";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final String url;

    private EmbeddedBroker(Builder builder) throws Exception {
        url = "vm://" + NEXT_VM_ID.getAndIncrement();
        Path data = builder.dataDirectory;
        Configuration config = new ConfigurationImpl()
                .setName("camel-eliza-jms")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setSecurityEnabled(false)
                // a busy shared machine must not make the broker shut itself down as "unresponsive"
                .setCriticalAnalyzer(false);
        config.addAcceptorConfiguration("in-vm", url);
        // as in Artemis's own broker.xml: what no queue's own settings catch (temporary reply queues, the dead-letter
        // queues themselves) dead-letters to DLQ, and expired messages (a request its requester gave up on) are kept
        // in ExpiryQueue rather than dropped unseen
        config.addQueueConfiguration(anycast(DEAD_LETTERS));
        config.addQueueConfiguration(anycast(EXPIRED));
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTERS))
                .setExpiryAddress(SimpleString.of(EXPIRED)));
        for (Map.Entry<String, String> queue : builder.deadLetterQueues.entrySet()) {
            config.addQueueConfiguration(anycast(queue.getKey()));
            config.addQueueConfiguration(anycast(queue.getValue()));
            config.addAddressSetting(queue.getKey(), new AddressSettings()
                    .setExpiryAddress(SimpleString.of(EXPIRED))
                    .setDeadLetterAddress(SimpleString.of(queue.getValue()))
                    .setMaxDeliveryAttempts(builder.maxDeliveryAttempts)
                    .setRedeliveryDelay(builder.redeliveryDelay)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(builder.maxRedeliveryDelay));
        }
        server.setConfiguration(config);
    }

    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    private static QueueConfiguration anycast(String name) {
        return QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST).setDurable(true);
    }

    public EmbeddedBroker start() throws Exception {
        server.start();
        return this;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        // the in-VM connections' threads are not daemons and would outlive the broker by a minute (keep-alive),
        // holding up the exit of a program that ends here; the next in-VM connection creates new ones
        InVMConnector.resetThreadPool();
    }

    /** A JMS connection factory of this broker (in-VM). */
    public ConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory(url);
    }

    /** How many messages a queue holds, those delivered but not yet acknowledged (or committed) included. */
    public long messageCount(String queue) {
        Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        if (found == null) {
            throw new IllegalArgumentException("The broker has no queue " + queue);
        }
        return found.getMessageCount();
    }

    public static final class Builder {

        private final Path dataDirectory;
        private final Map<String, String> deadLetterQueues = new LinkedHashMap<>();
        private int maxDeliveryAttempts = 10;
        private long redeliveryDelay = 1000;
        private long maxRedeliveryDelay = 10_000;

        private Builder(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
        }

        /** A work queue and the queue its messages go to once they have failed maxDeliveryAttempts times. */
        public Builder queue(String name, String deadLetterQueue) {
            deadLetterQueues.put(name, deadLetterQueue);
            return this;
        }

        /**
         * The redelivery policy of the work queues: a rolled back message is delivered again after
         * {@code firstDelayMillis}, doubling up to {@code maxDelayMillis}, and at most {@code maxAttempts} times in
         * all before it goes to its dead-letter queue.
         */
        public Builder redelivery(long firstDelayMillis, long maxDelayMillis, int maxAttempts) {
            this.redeliveryDelay = firstDelayMillis;
            this.maxRedeliveryDelay = maxDelayMillis;
            this.maxDeliveryAttempts = maxAttempts;
            return this;
        }

        public EmbeddedBroker build() throws Exception {
            return new EmbeddedBroker(this);
        }
    }
}
