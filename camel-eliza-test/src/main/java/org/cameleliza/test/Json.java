package org.cameleliza.test;

import java.util.List;
import java.util.Map;

/** Just enough JSON for the agents and faults files: maps, lists, strings, numbers and booleans (no JSON library). */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder s = new StringBuilder();
        write(value, s);
        return s.toString();
    }

    private static void write(Object value, StringBuilder s) {
        if (value instanceof Map<?, ?> map) {
            s.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    s.append(',');
                }
                first = false;
                string(String.valueOf(e.getKey()), s);
                s.append(':');
                write(e.getValue(), s);
            }
            s.append('}');
        } else if (value instanceof List<?> list) {
            s.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                write(list.get(i), s);
            }
            s.append(']');
        } else if (value instanceof String text) {
            string(text, s);
        } else if (value instanceof Number || value instanceof Boolean) {
            s.append(value);
        } else {
            throw new IllegalArgumentException("Not written as JSON: " + value);
        }
    }

    private static void string(String text, StringBuilder s) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
