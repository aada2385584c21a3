package org.cameleliza.test;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.cameleliza.test.ElizaTestServer.Agent;

/**
 * A local Eliza server for trying your own routes, run from the test kit's jar (its {@code Main-Class}):
 *
 * <pre>
 * java -jar camel-eliza-test-&lt;version&gt;.jar [--port 3000] [--answers answers.json] [--agents 1] ...
 * </pre>
 *
 * It starts the same real elizaOS server as {@link ElizaTestServer}, on 127.0.0.1, with agents that echo or answer
 * as an {@link AnswersFile answers file} says, prints its URL, its agents and the endpoint URI to paste into a route,
 * and runs until Ctrl+C (or SIGTERM), which stops the server and deletes its temporary data. It needs the JDK, this
 * jar and Node.js 20+, nothing else: no JUnit (only {@link ElizaServerExtension} uses it, and this class never loads
 * it).
 */
public final class ElizaLocalServer {

    /** The exit status of bad options or a bad answers file. */
    static final int USAGE_ERROR = 2;
    /** The exit status of a server that did not start, or stopped on its own. */
    static final int SERVER_ERROR = 1;

    private static final String USAGE = """
            Usage: java -jar camel-eliza-test-<version>.jar [options]

            Starts a real elizaOS server (Node.js 20+ needed) on 127.0.0.1 with deterministic agents (no LLM, no API
            key), prints the endpoint URI for your route, and runs until Ctrl+C.

              --port N          the port (default 3000; 0: any free port)
              --answers FILE    what the agents answer: a JSON object of regular expressions to answers, tried from
                                top to bottom (ignoring case; $1..$9 are the groups), and the answer to every other
                                message under "otherwise" (without it, the agent echoes):
                                  {
                                    "refund.*order (\\\\d+)": "Refund for order $1 is on its way.",
                                    "otherwise": "Sorry, I don't know."
                                  }
                                Without --answers, an agent answers a message M with "<name> echoes: M".
              --agents N        how many agents: 1 (Echo, the default), 2 (Echo and Parrot), 0 (none); their ids are
                                fixed: Echo b850bc30-45f8-0041-a00a-83df46d8555d, Parrot
                                6f7ad3e2-3c1d-4b57-9d0c-6a4f1b2c3d4e
              --api-key KEY     clients must present KEY (the endpoint's apiKey option), on Socket.IO and REST
              --data-dir DIR    keep the server's data (channels, messages) in DIR across runs (default: a temporary
                                folder, deleted when the server stops)
              --line L          the newest server of an older elizaOS line: 1.2, 1.3, 1.4, 1.5 or 1.6 (default 1.7)
              --help            this text

            The first start installs the pinned elizaOS packages (npm ci, about 850 MB) into ~/.cache/camel-eliza-test.
            """;

    /** Set by the shutdown hook: the server stops because the JVM does (Ctrl+C, SIGTERM), not on its own. */
    private static volatile boolean stopping;
    private static volatile boolean started;

    private ElizaLocalServer() {
    }

    /** The command line, checked. */
    record Options(int port, Path answers, int agents, String apiKey, Path dataDir, String line, boolean help) {

        /**
         * Parses {@code args}; options take their value as the next argument or after '=' ({@code --port=3000}).
         *
         * @throws IllegalArgumentException an unknown option, a missing or bad value: the message says which
         */
        static Options parse(String... args) {
            int port = 3000;
            Path answers = null;
            int agents = 1;
            String apiKey = null;
            Path dataDir = null;
            String line = ElizaTestServer.CURRENT_LINE;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return new Options(port, answers, agents, apiKey, dataDir, line, true);
                }
                int eq = arg.indexOf('=');
                String option = eq > 0 ? arg.substring(0, eq) : arg;
                if (!List.of("--port", "--answers", "--agents", "--api-key", "--data-dir", "--line").contains(option)) {
                    throw new IllegalArgumentException("Unknown option '" + arg + "'; the options are --port, "
                                                       + "--answers, --agents, --api-key, --data-dir, --line and "
                                                       + "--help");
                }
                String value;
                if (eq > 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                switch (option) {
                    case "--port" -> port = number(option, value, 0, 65535);
                    case "--answers" -> answers = Paths.get(value);
                    case "--agents" -> agents = number(option, value, 0, ElizaTestServer.KNOWN_AGENTS.size());
                    case "--api-key" -> apiKey = nonBlank(option, value);
                    case "--data-dir" -> dataDir = Paths.get(nonBlank(option, value));
                    default -> line = value;
                }
            }
            if (answers != null && agents == 0) {
                throw new IllegalArgumentException("--answers needs an agent to answer: --agents 1 or 2");
            }
            return new Options(port, answers, agents, apiKey, dataDir, line, false);
        }

        private static int number(String option, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max
                                               + ", got '" + value + "'");
        }

        private static String nonBlank(String option, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    /** Starts the server the command line describes, and runs until Ctrl+C; {@code --help} for the options. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * What {@link #main} does, with its output on {@code out} and {@code err}: returns 0 for {@code --help},
     * {@link #USAGE_ERROR} for bad options or a bad answers file, {@link #SERVER_ERROR} when the server does not start
     * or stops on its own; otherwise it does not return before the JVM shuts down.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        ElizaTestServer.Builder builder;
        String answering;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.print(USAGE);
                return 0;
            }
            builder = ElizaTestServer.builder().port(options.port()).line(options.line());
            answering = configureAgents(builder, options);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println("(java -jar camel-eliza-test-<version>.jar --help for the options)");
            return USAGE_ERROR;
        }
        if (options.apiKey() != null) {
            // the component sends its apiKey on Socket.IO and to the REST API: the server asks for it on both
            builder.apiKey(options.apiKey()).restApiKey(options.apiKey());
        }
        if (options.dataDir() != null) {
            builder.dataDir(options.dataDir().toAbsolutePath());
        }
        if (options.port() != 0 && !isFree(options.port())) {
            err.println("Error: port " + options.port() + " on 127.0.0.1 is in use (another Eliza server?); choose "
                        + "another with --port, or --port 0 for any free one");
            return SERVER_ERROR;
        }

        ElizaTestServer server = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, out), "eliza-local-server-stop"));
        out.println("Starting a local Eliza server (elizaOS " + options.line() + ")...");
        try {
            server.start();
        } catch (RuntimeException e) {
            if (!stopping) {
                err.println("Error: the Eliza server did not start: " + e.getMessage());
                printLogTail(server.logFile(), err);
            }
            return SERVER_ERROR;
        }
        started = true;
        printReady(server, options, answering, out);
        return awaitStop(server, err);
    }

    /** Adds the agents to {@code builder}; returns what they answer, in a few words. */
    private static String configureAgents(ElizaTestServer.Builder builder, Options options) {
        if (options.answers() == null) {
            builder.agents(options.agents());
            return "echoes";
        }
        AnswersFile answers = AnswersFile.read(options.answers());
        for (Agent known : ElizaTestServer.KNOWN_AGENTS.subList(0, options.agents())) {
            // the built-in agents' fixed ids, so that a URI pasted once goes on working with another answers file
            builder.agent(answers.applyTo(ElizaTestAgent.named(known.name()).withId(known.id())));
        }
        return "answers from " + options.answers() + ": " + answers.describe();
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void printReady(ElizaTestServer server, Options options, String answering, PrintStream out) {
        out.println("Eliza server running at " + server.url() + " (elizaOS " + server.line() + ")");
        List<Agent> agents = server.agents();
        if (agents.isEmpty()) {
            out.println("  no agent");
        }
        for (Agent agent : agents) {
            out.println("  agent " + agent.name() + " " + agent.id() + ": " + answering);
        }
        out.println("Endpoint URI for your route:");
        String key = options.apiKey() != null ? "&apiKey=RAW(" + options.apiKey() + ")" : "";
        if (agents.isEmpty()) {
            out.println("  eliza:support?url=" + server.url() + key);
        }
        for (Agent agent : agents) {
            out.println("  eliza:support?url=" + server.url() + "&agentId=" + agent.id() + key);
        }
        out.println("Server log: " + server.logFile());
        out.println("Data: " + server.dataDir() + (options.dataDir() == null ? " (deleted when the server stops)"
                : " (kept for the next run)"));
        out.println("Ctrl+C stops the server.");
        out.flush();
    }

    /** Waits while the server runs; returns only when it stopped on its own (not by Ctrl+C). */
    private static int awaitStop(ElizaTestServer server, PrintStream err) {
        try {
            while (server.isRunning() || stopping) {
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SERVER_ERROR;
        }
        err.println("Error: the Eliza server stopped on its own");
        printLogTail(server.logFile(), err);
        return SERVER_ERROR;
    }

    /** The shutdown hook: stops the server and deletes its temporary data, on Ctrl+C, SIGTERM or exit. */
    private static void stop(ElizaTestServer server, PrintStream out) {
        stopping = true;
        server.close();
        if (started) {
            out.println("Eliza server stopped.");
            out.flush();
        }
    }

    /** The end of the server's log, where Node says why it did not start (a pattern JavaScript refuses, a port...). */
    private static void printLogTail(Path log, PrintStream err) {
        if (!Files.isRegularFile(log)) {
            return; // Node did not even start: the error says why
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            err.println("The end of its log, " + log + ":");
            lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> err.println("  " + l));
        } catch (IOException e) {
            err.println("(its log " + log + " cannot be read: " + e.getMessage() + ")");
        }
    }
}
