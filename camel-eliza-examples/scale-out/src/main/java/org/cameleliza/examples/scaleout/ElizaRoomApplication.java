package org.cameleliza.examples.scaleout;

import java.io.IOException;
import java.io.InputStream;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the room application (Camel Main). Start as many as you like with the same settings: the one that
 * holds the leader lock delivers, the others wait to take over. Settings: application.properties, overridden by
 * {@code -Dname=value} or environment variables.
 */
public final class ElizaRoomApplication {

    /** Logged once the instance runs (as leader or as follower); what the test and the demo wait for. */
    static final String STARTED = "Instance started";
    /** With {@code -Dapp.exit-with-parent=true} the instance stops when its standard input closes. */
    static final String EXIT_WITH_PARENT = "app.exit-with-parent";

    private static final Logger LOG = LoggerFactory.getLogger(ElizaRoomApplication.class);

    private ElizaRoomApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.addInitialProperty("app.instance", "pid-" + ProcessHandle.current().pid());
        main.configure().addConfiguration(SharedStateConfiguration.class);
        main.configure().addRoutesBuilder(new RoomDeliveryRoutes());
        main.configure().addRoutesBuilder(new StuckLeaderWatchdogRoutes());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                LOG.info("{} {}: it delivers the room's messages while it holds the lock '{}' in {}/cluster", STARTED,
                        started.getCamelContext().resolvePropertyPlaceholders("{{app.instance}}"),
                        RoomDeliveryRoutes.NAMESPACE,
                        started.getCamelContext().resolvePropertyPlaceholders("{{app.shared-dir}}"));
            }
        });
        if (Boolean.getBoolean(EXIT_WITH_PARENT)) {
            exitWhenStandardInputCloses();
        }
        main.run(args);
    }

    /**
     * For instances started by another process (the test, the demo): the pipe to their standard input closes when that
     * process ends, even when it is killed, so no instance outlives it. The exit runs Camel's graceful shutdown.
     */
    private static void exitWhenStandardInputCloses() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is sent on it: only its end matters
                }
            } catch (IOException e) {
                // a broken pipe means the same: the parent is gone
            }
            System.exit(0);
        }, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
    }
}
