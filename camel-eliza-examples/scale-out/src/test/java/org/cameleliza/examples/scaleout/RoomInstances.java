package org.cameleliza.examples.scaleout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The instances of one run (a test, the demo) and the folder they share, in a clean work folder. Closing it kills
 * whatever instance still runs.
 */
final class RoomInstances implements AutoCloseable {

    private final List<RoomInstance> started = new ArrayList<>();
    private final Path workDir;
    private final Path sharedDir;
    private final Map<String, String> properties;

    /** {@code properties}: the application properties every instance gets (the room, the server, the agent...). */
    RoomInstances(Path workDir, Map<String, String> properties) throws IOException {
        this.workDir = workDir;
        this.sharedDir = workDir.resolve("shared");
        if (Files.exists(workDir)) {
            try (Stream<Path> files = Files.walk(workDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(sharedDir);
        this.properties = new HashMap<>(properties);
        this.properties.put("app.shared-dir", sharedDir.toString());
    }

    Path workDir() {
        return workDir;
    }

    Path sharedDir() {
        return sharedDir;
    }

    /** The leader lock file of the room's namespace. */
    Path leaderLockFile() {
        return sharedDir.resolve("cluster").resolve(RoomDeliveryRoutes.NAMESPACE);
    }

    RoomInstance start(String name) throws IOException {
        RoomInstance instance = RoomInstance.start(name, workDir, properties);
        started.add(instance);
        return instance;
    }

    /** Waits until one of the two leads and returns it; fails when none does in time, or both do. */
    static RoomInstance awaitLeader(RoomInstance a, RoomInstance b, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean aLeads = a.hasLed();
            boolean bLeads = b.hasLed();
            if (aLeads && bLeads) {
                throw new AssertionError("Both instances lead:\n" + a.tail() + "\n" + b.tail());
            }
            if (aLeads || bLeads) {
                return aLeads ? a : b;
            }
            if (!a.isAlive() || !b.isAlive()) {
                throw new AssertionError("An instance exited:\n" + a.tail() + "\n" + b.tail());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No instance led within " + timeout + ":\n" + a.tail() + "\n" + b.tail());
    }

    @Override
    public void close() throws InterruptedException {
        for (RoomInstance instance : started) {
            instance.close();
        }
    }
}
