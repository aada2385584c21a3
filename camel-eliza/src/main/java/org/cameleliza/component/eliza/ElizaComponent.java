package org.cameleliza.component.eliza;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.PropertiesHelper;

/**
 * Talks to elizaOS AI agents over Socket.IO.
 */
@Component("eliza")
public class ElizaComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata
    private ElizaConfiguration configuration = new ElizaConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;

    private final ElizaConnectionManager connectionManager = new ElizaConnectionManager();
    private ExecutorService workerPool;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ElizaEndpoint endpoint = new ElizaEndpoint(uri, this, configuration.copy());
        endpoint.setChannel(remaining);
        // multi-value option: httpHeader.<name>=<value>
        Map<String, Object> headers = PropertiesHelper.extractProperties(parameters, "httpHeader.");
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
