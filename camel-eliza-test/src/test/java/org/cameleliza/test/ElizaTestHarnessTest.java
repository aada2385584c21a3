package org.cameleliza.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user without (a recent enough) Node.js is told. */
class ElizaTestHarnessTest {

    @AfterEach
    void restore() {
        System.clearProperty("eliza.test.node");
    }

    @Test
    void aMissingNodeSaysWhatToInstall() {
        System.setProperty("eliza.test.node", "/nonexistent/node");

        assertThatThrownBy(ElizaTestHarness::node)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Node.js 20 or newer")
                .hasMessageContaining("Install Node.js 20+")
                .hasMessageContaining("-Deliza.test.node");
    }

    @Test
    void anOldNodeIsRefusedWithItsVersion(@TempDir Path dir) throws Exception {
        Path oldNode = dir.resolve("node");
        Files.writeString(oldNode, "#!/bin/sh\necho v18.19.0\n");
        Files.setPosixFilePermissions(oldNode, PosixFilePermissions.fromString("rwxr-xr-x"));
        System.setProperty("eliza.test.node", oldNode.toString());

        assertThatThrownBy(ElizaTestHarness::node)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("says 'v18.19.0'");
    }

    @Test
    void theNodeOnThePathIsAccepted() {
        assertThat(ElizaTestHarness.node()).isEqualTo("node");
    }

    @Test
    void theJarCarriesEveryFileOfTheHarness() {
        for (String file : ElizaTestHarness.FILES) {
            assertThat(getClass().getClassLoader().getResource("camel-eliza-test/harness/" + file)).as(file).isNotNull();
        }
    }

    @Test
    void everyModuleOfTheHarnessIsCopiedOutOfTheJar() throws Exception {
        // a module left out of FILES breaks every server started from the jar (ERR_MODULE_NOT_FOUND at its import)
        try (Stream<Path> files = Files.list(Paths.get("."))) {
            List<String> modules = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mjs")).toList();
            assertThat(modules).isNotEmpty();
            assertThat(ElizaTestHarness.FILES).containsAll(modules);
        }
    }
}
