package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.PropertiesHelper;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.cameleliza.component.eliza.connection.ElizaConnectionManager;
import org.cameleliza.component.eliza.producer.ElizaRestTransport;
import org.cameleliza.component.eliza.reply.ElizaRequestLanes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to elizaOS AI agents over Socket.IO.
 */
@Component("eliza")
public class ElizaComponent extends HealthCheckComponent implements SSLContextParametersAware {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaComponent.class);
    /** The value of an httpHeader.* option in an endpoint URI (plain or RAW(...) / RAW{...}), as Camel normalizes it. */
    private static final Pattern HTTP_HEADER_VALUE
            = Pattern.compile("([?&]httpHeader\\.[^=&]*)=(RAW(\\([^)]*\\)|\\{[^}]*\\})|[^&]*)");
    /** What Camel's URISupport.sanitizeUri prints for a secret. */
    static final String MASK = "xxxxxx";

    @Metadata
    private ElizaConfiguration configuration = new ElizaConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "producer,advanced", defaultValue = "1000")
    private int maxQueuedRequests = 1000;
    @Metadata(label = "producer,advanced", defaultValue = "10")
    private int workerPoolSize = 10;
    @Metadata(label = "consumer,advanced", defaultValue = "50")
    private int gapRecoveryBurst = 50;
    @Metadata(label = "consumer,advanced", defaultValue = "20")
    private int gapRecoveryReadsPerMinute = 20;

    private final ElizaConnectionManager connectionManager = new ElizaConnectionManager();
    /** The running producers with transport=http or sse, for the dev console. */
    private final Set<ElizaRestTransport> restTransports = ConcurrentHashMap.newKeySet();
    /** The numbers of the producers' health checks, by channel and route (see {@link #acquireProducerNumber}). */
    private final Map<ProducerSlot, List<Integer>> producerNumbers = new HashMap<>();
    private final Set<Integer> producerNumbersInUse = new HashSet<>();
    private int lastProducerNumber;
    private final ElizaHttpClientFactory defaultHttpClientFactory = new DefaultElizaHttpClientFactory();
    private ExecutorService workerPool;
    private ScheduledExecutorService timer;
    private ElizaRequestLanes requestLanes;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ElizaEndpoint endpoint = new ElizaEndpoint(maskHttpHeaders(uri), this, configuration.copy());
        endpoint.setChannel(remaining);
        // multi-value option: httpHeader.<name>=<value>
        Map<String, Object> headers = PropertiesHelper.extractProperties(parameters, "httpHeader.");
        if (headers.containsValue(MASK)) {
            // an endpoint URI as Camel shows it, resolved again: the header would be sent as the mask
            throw new IllegalArgumentException("Option httpHeader.* has the value " + MASK + ", the mask of a value"
                                               + " in a printed endpoint URI: give the value itself");
        }
        setProperties(endpoint, parameters);
        if (!headers.isEmpty()) {
            Map<String, Object> all = new LinkedHashMap<>();
            if (endpoint.getConfiguration().getHttpHeaders() != null) {
                all.putAll(endpoint.getConfiguration().getHttpHeaders());
            }
            all.putAll(headers);
            endpoint.getConfiguration().setHttpHeaders(all);
        }
        endpoint.validate();
        return endpoint;
    }

    /**
     * The endpoint's URI with the values of its httpHeader.* options masked. Such a header may carry a credential
     * (Authorization, a tenant key), and Camel's URISupport.sanitizeUri masks only options whose name sounds secret,
     * which these do not: every place Camel shows an endpoint (toString, logs, JMX, consoles, errors) reads this URI.
     * The options themselves keep the values; Camel registers the endpoint under the URI as given, so resolving that
     * URI again finds this endpoint.
     */
    static String maskHttpHeaders(String uri) {
        return uri.indexOf("httpHeader.") < 0 ? uri : HTTP_HEADER_VALUE.matcher(uri).replaceAll("$1=" + MASK);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (maxQueuedRequests <= 0) {
            throw new IllegalArgumentException("Option maxQueuedRequests must be greater than 0, but was: " + maxQueuedRequests);
        }
        if (workerPoolSize <= 0) {
            throw new IllegalArgumentException("Option workerPoolSize must be greater than 0, but was: " + workerPoolSize);
        }
        if (gapRecoveryBurst <= 0) {
            throw new IllegalArgumentException("Option gapRecoveryBurst must be greater than 0, but was: " + gapRecoveryBurst);
        }
        if (gapRecoveryReadsPerMinute <= 0) {
            throw new IllegalArgumentException("Option gapRecoveryReadsPerMinute must be greater than 0, but was: "
                                               + gapRecoveryReadsPerMinute);
        }
        connectionManager.setRecoveryPace(gapRecoveryBurst, gapRecoveryReadsPerMinute);
    }

    public ElizaConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The defaults for every endpoint of this component; each endpoint can override each option.
     */
    public void setConfiguration(ElizaConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /**
     * Use the global SSLContextParameters of the CamelContext for https URLs, unless the endpoint has its own.
     */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public int getMaxQueuedRequests() {
        return maxQueuedRequests;
    }

    /**
     * How many request-reply exchanges may wait for one channel (requests to a channel run one at a time); an exchange
     * beyond that fails at once instead of queueing without bound.
     */
    public void setMaxQueuedRequests(int maxQueuedRequests) {
        this.maxQueuedRequests = maxQueuedRequests;
    }

    public int getWorkerPoolSize() {
        return workerPoolSize;
    }

    /**
     * How many threads continue producer exchanges once the server answered (the ack, or the agent's reply). More work
     * than threads waits in an unbounded queue: it never runs on the thread of a connection.
     */
    public void setWorkerPoolSize(int workerPoolSize) {
        this.workerPoolSize = workerPoolSize;
    }

    public int getGapRecoveryBurst() {
        return gapRecoveryBurst;
    }

    /**
     * How many gap recovery reads the consumers may make at once, per server, before gapRecoveryReadsPerMinute paces
     * them. elizaOS tells what a channel missed only per channel, over REST, from a budget of 1000 requests per 15
     * minutes per client address that its own agents spend too, so the rejoin after a reconnect is Socket.IO's alone and
     * the reads wait their turn: a channel where a message arrives is read at once, then this many, the most recently
     * active channels first, then the pace.
     */
    public void setGapRecoveryBurst(int gapRecoveryBurst) {
        this.gapRecoveryBurst = gapRecoveryBurst;
    }

    public int getGapRecoveryReadsPerMinute() {
        return gapRecoveryReadsPerMinute;
    }

    /**
     * How many gap recovery reads per minute the consumers may make per server once gapRecoveryBurst is spent (20 is 300
     * of elizaOS's 1000 requests per 15 minutes). The read of a channel where a message arrives is not held back.
     */
    public void setGapRecoveryReadsPerMinute(int gapRecoveryReadsPerMinute) {
        this.gapRecoveryReadsPerMinute = gapRecoveryReadsPerMinute;
    }

    /** The HTTP client factory for an endpoint: its own (or the component's, which it inherits), else the default. */
    ElizaHttpClientFactory httpClientFactoryFor(ElizaConfiguration endpointConfiguration) {
        ElizaHttpClientFactory factory = endpointConfiguration.getHttpClientFactory();
        return factory != null ? factory : defaultHttpClientFactory;
    }

    /** The Socket.IO connections of this component, one per server, entity, credentials and transport settings. */
    public ElizaConnectionManager getConnectionManager() {
        return connectionManager;
    }

    /** The running producers with transport=http or sse (they have no connection). */
    public Set<ElizaRestTransport> getRestTransports() {
        return restTransports;
    }

    /**
     * The number of a starting producer's health check: the first number a producer of the same channel and route had
     * that no running producer holds, else a new one. Camel creates a route's producers anew every time it starts the
     * route, so this, not the producer instance, is what keeps a check's id across a stop and start of the route (its
     * producers start in the same order each time); two producers that run at the same time never share a number.
     */
    int acquireProducerNumber(String channel, String routeId) {
        synchronized (producerNumbers) {
            List<Integer> numbers = producerNumbers.computeIfAbsent(new ProducerSlot(channel, routeId),
                    slot -> new ArrayList<>());
            for (int number : numbers) {
                if (producerNumbersInUse.add(number)) {
                    return number;
                }
            }
            int number = ++lastProducerNumber;
            numbers.add(number);
            producerNumbersInUse.add(number);
            return number;
        }
    }

    /** The producer that held this number stopped: the next producer of its channel and route takes it. */
    void releaseProducerNumber(int number) {
        synchronized (producerNumbers) {
            producerNumbersInUse.remove(number);
        }
    }

    /** For the dev console: the request lanes' depths, without creating them. */
    synchronized Map<String, Integer> getRequestLanesIfCreated() {
        return requestLanes != null ? requestLanes.depths() : Map.of();
    }

    synchronized ElizaRequestLanes getRequestLanes() {
        if (requestLanes == null) {
            requestLanes = new ElizaRequestLanes(getWorkerPool(), getTimer(), maxQueuedRequests);
        }
        return requestLanes;
    }

    /** The deadlines of request-reply exchanges that wait in a lane. */
    private synchronized ScheduledExecutorService getTimer() {
        if (timer == null) {
            ThreadPoolProfile profile = new ThreadPoolProfile("ElizaTimer");
            profile.setPoolSize(1);
            // for a scheduled pool Camel reads a size of 0 or less as "no bound"
            profile.setMaxQueueSize(-1);
            timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "ElizaTimer", profile);
        }
        return timer;
    }

    /**
     * The threads exchanges continue on after the component waited for the server. Its queue is unbounded, so a busy
     * pool delays work instead of running it on the caller's thread (which would be a connection's thread).
     */
    synchronized ExecutorService getWorkerPool() {
        if (workerPool == null) {
            if (isStoppingOrStopped()) {
                throw new RejectedExecutionException("The Eliza component is stopped");
            }
            ThreadPoolProfile profile = new ThreadPoolProfile("ElizaWorker");
            profile.setPoolSize(workerPoolSize);
            profile.setMaxPoolSize(workerPoolSize);
            // Camel reads a size of 0 or less as "no queue": the largest size is the unbounded queue
            profile.setMaxQueueSize(Integer.MAX_VALUE);
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
            workerPool = getCamelContext().getExecutorServiceManager().newThreadPool(this, "ElizaWorker", profile);
        }
        return workerPool;
    }

    /**
     * Completes an exchange on a worker thread: runs {@code completion}, then the callback. When the pool no longer
     * takes work (the component is stopping), the exchange fails on a thread of its own instead of being dropped.
     */
    void continueOnWorker(Exchange exchange, AsyncCallback callback, Runnable completion) {
        Runnable task = () -> {
            try {
                completion.run();
            } catch (RuntimeException e) {
                exchange.setException(e);
            } finally {
                callback.done(false);
            }
        };
        try {
            getWorkerPool().execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Eliza worker pool is stopped: exchange {} completes on a thread of its own", exchange.getExchangeId());
            getCamelContext().getExecutorServiceManager().newThread("ElizaShutdown", task).start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        connectionManager.closeAll();
        ExecutorService workers;
        ScheduledExecutorService timers;
        synchronized (this) {
            workers = workerPool;
            timers = timer;
            workerPool = null;
            timer = null;
            requestLanes = null;
        }
        // outside the lock: the last completions still need the pool (and this lock to find it) while it drains
        if (workers != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
        }
        if (timers != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(timers);
        }
        super.doStop();
    }

    /** Producers of one channel in one route (routeId null: outside routes, such as a ProducerTemplate's). */
    private record ProducerSlot(String channel, String routeId) {
    }
}
