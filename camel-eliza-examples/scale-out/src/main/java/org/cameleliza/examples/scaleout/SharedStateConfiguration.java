package org.cameleliza.examples.scaleout;

import java.io.File;
import java.util.concurrent.TimeUnit;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;

/**
 * What the instances share, all in the folder {@code app.shared-dir}: the leader lock, the ids of the messages
 * delivered and the last message delivered. Every instance must run with the same folder and the same timing.
 */
// tag::class[]
public class SharedStateConfiguration implements CamelConfiguration {

    /** The leader renews its heartbeat this often, and a follower tries to take over this often. */
    static final long HEARTBEAT_SECONDS = 1;
    /** A follower takes over from a leader whose heartbeat is older than this many heartbeats (a dead leader). */
    static final int HEARTBEAT_TIMEOUT_MULTIPLIER = 5;

    @PropertyInject("app.shared-dir")
    private String sharedDir;

    /**
     * Leader election on one machine: the leader holds an OS lock on {@code cluster/<namespace>} and writes its
     * heartbeat to {@code cluster/<namespace>.dat}. Added as a service of the context, where camel-master finds it.
     */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId("eliza-room-cluster");
        cluster.setRoot(new File(sharedDir, "cluster").getPath());
        cluster.setAcquireLockDelay(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        cluster.setAcquireLockInterval(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        cluster.setHeartbeatTimeoutMultiplier(HEARTBEAT_TIMEOUT_MULTIPLIER);
        camelContext.addService(cluster);
    }

    /**
     * The ids delivered, one a line: nothing is delivered twice when a new leader reads back what the previous one may
     * have delivered already. FileIdempotentRepository reads the file on every miss of its in-memory cache, so it sees
     * the ids the previous leader (another process) appended.
     */
    @BindToRegistry("deliveredIds")
    public IdempotentRepository deliveredIds() {
        FileIdempotentRepository repository = new FileIdempotentRepository();
        repository.setFileStore(new File(sharedDir, "delivered-ids.txt"));
        repository.setCacheSize(10_000);
        return repository;
    }

    /**
     * The last message delivered (its time and id): a new leader's consumer delivers what the room got after it. Read
     * from the file when the consumer starts, that is when this instance takes the lead.
     */
    @BindToRegistry("roomPlace")
    public StateRepository<String, String> roomPlace() {
        return FileStateRepository.fileStateRepository(new File(sharedDir, "room-place.txt"));
    }
}
// end::class[]
