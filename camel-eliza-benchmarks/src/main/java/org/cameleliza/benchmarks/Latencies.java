package org.cameleliza.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The latencies of one measured run, and what the report says of them. */
final class Latencies {

    private final long[] nanos;

    Latencies(int n) {
        this.nanos = new long[n];
    }

    void record(int i, long latencyNanos) {
        nanos[i] = latencyNanos;
    }

    /** One row of the results: throughput from the wall time of the run, percentiles of the recorded latencies. */
    static Map<String, Object> result(
            String section, String variant, int inFlight, int n, long elapsedNanos, Latencies latencies) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", section);
        row.put("variant", variant);
        row.put("inFlight", inFlight);
        row.put("n", n);
        row.put("msgPerSec", n / (elapsedNanos / 1e9));
        if (latencies != null) {
            long[] sorted = latencies.nanos.clone();
            Arrays.sort(sorted);
            row.put("p50Ms", percentile(sorted, 0.50));
            row.put("p99Ms", percentile(sorted, 0.99));
        }
        return row;
    }

    private static double percentile(long[] sorted, double p) {
        int i = Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length));
        return sorted[i] / 1e6;
    }
}
