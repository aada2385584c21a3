package org.cameleliza.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JVM that started the server and is then killed (SIGKILL: no shutdown hook runs) leaves no Node process behind.
 */
class ElizaTestServerOrphanIT {

    @Test
    void theServerEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("eliza.testServer.dir") != null) {
            command.add("-Deliza.testServer.dir=" + System.getProperty("eliza.testServer.dir"));
        }
        command.add(StartServerAndWait.class.getName());
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        long nodePid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            Long pid = null;
            while (pid == null && (line = out.readLine()) != null) {
                if (line.startsWith("NODE_PID ")) {
                    pid = Long.parseLong(line.substring("NODE_PID ".length()).trim());
                }
            }
            assertThat(pid).as("the child JVM started a server").isNotNull();
            nodePid = pid;
            Optional<ProcessHandle> node = ProcessHandle.of(nodePid);
            assertThat(node).isPresent();
            assertThat(node.get().isAlive()).isTrue();

            jvm.destroyForcibly();
            jvm.waitFor();
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> ProcessHandle.of(nodePid).map(p -> !p.isAlive()).orElse(true));
    }

    /** The child JVM: starts a server, says its Node pid, and waits to be killed. */
    public static final class StartServerAndWait {
        public static void main(String[] args) throws InterruptedException {
            ElizaTestServer server = ElizaTestServer.builder().build().start();
            System.out.println("NODE_PID " + server.pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
