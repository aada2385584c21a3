package org.cameleliza.component.eliza;

import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * Talks to elizaOS AI agents over Socket.IO.
 */
@Component("eliza")
public class ElizaComponent extends DefaultComponent {

    @Metadata
    private ElizaConfiguration configuration = new ElizaConfiguration();

    private final ElizaConnectionManager connectionManager = new ElizaConnectionManager();
    private ExecutorService workerPool;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ElizaEndpoint endpoint = new ElizaEndpoint(uri, this, configuration.copy());
        endpoint.setChannel(remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
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

    /** The Socket.IO connections of this component, one per server, entity and credentials. */
    public ElizaConnectionManager getConnectionManager() {
        return connectionManager;
    }

    /** Threads that complete producer callbacks: routing must never continue on the Socket.IO event thread. */
    synchronized ExecutorService getWorkerPool() {
        if (workerPool == null) {
            workerPool = getCamelContext().getExecutorServiceManager().newDefaultThreadPool(this, "ElizaWorker");
        }
        return workerPool;
    }

    @Override
    protected void doStop() throws Exception {
        connectionManager.closeAll();
        synchronized (this) {
            if (workerPool != null) {
                getCamelContext().getExecutorServiceManager().shutdown(workerPool);
                workerPool = null;
            }
        }
        super.doStop();
    }
}
