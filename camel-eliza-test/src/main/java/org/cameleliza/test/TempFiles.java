package org.cameleliza.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The test server's temporary files: its data folder, the files beside it, and deleting what it leaves behind. */
final class TempFiles {

    private TempFiles() {
    }

    /** A new, empty folder for a server's data, under the system's temporary folder. */
    static Path createTempDir() {
        try {
            return Files.createTempDirectory("eliza-test-server-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} to {@code file} in UTF-8, replacing what it held. */
    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Deletes a file, or a folder with everything in it, as far as it can; a path that does not exist is no error. */
    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary folder left behind is not worth failing a test for
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}
