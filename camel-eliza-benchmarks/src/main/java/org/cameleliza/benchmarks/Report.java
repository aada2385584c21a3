package org.cameleliza.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The results: one line per run while it goes, then a table with ratios to the raw client of the same round. */
final class Report {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    static String line(Map<String, Object> row) {
        StringBuilder line = new StringBuilder();
        row.forEach((k, v) -> line.append(k).append('=').append(format(v)).append(' '));
        return line.toString().trim();
    }

    static void write(Path out, Map<String, Object> machine, List<Map<String, Object>> rows) throws Exception {
        addRatios(rows);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("machine", machine);
        all.put("results", rows);
        MAPPER.writeValue(out.resolve("results.json").toFile(), all);
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append("\n\n");
        md.append("| section | variant | in flight | round | n | msg/s | p50 ms | p99 ms | x raw | x raw WS |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<Map<String, Object>> other = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (!row.containsKey("msgPerSec")) {
                other.add(row);
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.get("section"),
                    row.get("variant"), row.get("inFlight"), row.get("round"), row.get("n"), format(row.get("msgPerSec")),
                    format(row.get("p50Ms")), format(row.get("p99Ms")), format(row.get("xRaw")), format(row.get("xRawWs"))));
        }
        for (Map<String, Object> row : other) {
            md.append("\n").append(line(row)).append("\n");
        }
        Files.writeString(out.resolve("results.md"), md.toString());
        System.out.println();
        System.out.println(md);
        System.out.println("Written: " + out.resolve("results.json") + ", " + out.resolve("results.md"));
    }

    /** Each row's throughput divided by the raw client's (default transport, and WebSocket only) of its round. */
    private static void addRatios(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            if (!row.containsKey("msgPerSec")) {
                continue;
            }
            for (Map<String, Object> base : rows) {
                if (Objects.equals(base.get("section"), row.get("section"))
                    && Objects.equals(base.get("round"), row.get("round"))
                    && Objects.equals(base.get("inFlight"), row.get("inFlight"))) {
                    String variant = String.valueOf(base.get("variant"));
                    double ratio = ((Number) row.get("msgPerSec")).doubleValue() / ((Number) base.get("msgPerSec")).doubleValue();
                    if (variant.startsWith("raw io.socket") && variant.contains("polling")
                        || variant.startsWith("MCP SDK")) {
                        row.put("xRaw", ratio);
                    } else if (variant.equals("raw io.socket, WebSocket only")
                               || variant.equals("raw io.socket listener, WebSocket only")) {
                        row.put("xRawWs", ratio);
                    }
                }
            }
        }
    }

    private static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.3f", d);
        }
        return value.toString();
    }
}
