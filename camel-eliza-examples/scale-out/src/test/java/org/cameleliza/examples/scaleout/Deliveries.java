package org.cameleliza.examples.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What the instances delivered, read from the shared folder: the delivery log and the message files. */
final class Deliveries {

    /** One line of deliveries.log: which instance delivered which message, live or read back from the history. */
    record Delivery(String instance, String messageId, boolean recovered) {
    }

    private final Path sharedDir;

    Deliveries(Path sharedDir) {
        this.sharedDir = sharedDir;
    }

    /** Every delivery so far, in the order they were logged. */
    List<Delivery> all() throws IOException {
        Path log = sharedDir.resolve("deliveries.log");
        List<Delivery> deliveries = new ArrayList<>();
        if (!Files.exists(log)) {
            return deliveries;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length != 3) {
                throw new AssertionError("Malformed line in " + log + ": '" + line + "'");
            }
            deliveries.add(new Delivery(fields[0], fields[1], "recovered".equals(fields[2])));
        }
        return deliveries;
    }

    /** How often each message id was delivered. */
    Map<String, Long> countsById() throws IOException {
        return all().stream().collect(Collectors.groupingBy(Delivery::messageId, LinkedHashMap::new,
                Collectors.counting()));
    }

    /** The deliveries of the given ids. */
    List<Delivery> of(Set<String> messageIds) throws IOException {
        return all().stream().filter(d -> messageIds.contains(d.messageId())).toList();
    }

    /** The text the sink wrote for a message, or null when it wrote nothing. */
    String messageText(String messageId) throws IOException {
        Path file = sharedDir.resolve("messages").resolve(messageId + ".txt");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }

    /** Waits until each of {@code messageIds} was delivered; fails with what was delivered when not in time. */
    void awaitDelivered(Set<String> messageIds, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!countsById().keySet().containsAll(messageIds)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not delivered within " + timeout + ": "
                                         + messageIds.stream().filter(id -> !deliveredIds().contains(id)).toList()
                                         + "; delivered: " + all());
            }
            Thread.sleep(200);
        }
    }

    private Set<String> deliveredIds() {
        try {
            return countsById().keySet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
