package org.cameleliza.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The answers file of {@link ElizaLocalServer}: what its agents answer, as a JSON object of regular expressions to
 * answers, tried from top to bottom, and the answer to every other message under {@code "otherwise"} (without it, the
 * agent echoes):
 *
 * <pre>
 * {
 *   "refund.*order (\\d+)": "Refund for order $1 is on its way.",
 *   "opening hours|open": "We are open from 9 to 5.",
 *   "otherwise": "Sorry, I don't know."
 * }
 * </pre>
 *
 * These are the rules of {@link ElizaTestAgent#when(String, String)}: a pattern finds a match anywhere in the message,
 * ignoring case, and {@code $1}..{@code $9} in its answer are its groups. JSON rather than a properties file: a
 * properties key ends at its first blank and takes a backslash as an escape, so {@code refund.*order (\d+)} cannot be
 * written as one. Read here with a small parser of its own, so that the jar needs no JSON library, and so that every
 * error names the file, the line and what to write instead.
 */
final class AnswersFile {

    /** The key of the answer to a message that no pattern matches. */
    static final String OTHERWISE = "otherwise";

    private final List<Rule> rules;
    private final String otherwise;

    private AnswersFile(List<Rule> rules, String otherwise) {
        this.rules = List.copyOf(rules);
        this.otherwise = otherwise;
    }

    /** A pattern and its answer, and the line of the file that gives them. */
    record Rule(String pattern, String answer, int line) {
    }

    /**
     * Reads the answers file {@code file} (UTF-8).
     *
     * @throws IllegalArgumentException the file cannot be read, or is not an answers file: the message names the file
     *                                  and, where it can, the line
     */
    static AnswersFile read(Path file) {
        String text;
        try {
            // a decoder reports bytes that are not UTF-8, where new String(...) would replace them silently
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The answers file " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The answers file " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the answers file " + file, e);
        }
        return parse(file.toString(), text);
    }

    /** Parses {@code text}, the content of the answers file called {@code name} in error messages. */
    static AnswersFile parse(String name, String text) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        Map<String, String> answers = new Parser(name, text).object(lines);
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> e : answers.entrySet()) {
            String pattern = e.getKey();
            int line = lines.get(pattern);
            if (e.getValue().isBlank()) {
                throw new IllegalArgumentException(name + ", line " + line + ": the answer to \"" + pattern
                                                   + "\" is empty; an agent answers with some text");
            }
            if (pattern.equals(OTHERWISE)) {
                continue;
            }
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException(name + ", line " + line + ": an empty pattern matches every "
                                                   + "message; give the answer to every other message as \""
                                                   + OTHERWISE + "\"");
            }
            try {
                Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException ex) {
                throw new IllegalArgumentException(name + ", line " + line + ": the pattern \"" + pattern
                                                   + "\" is not a regular expression: " + ex.getDescription()
                                                   + (ex.getIndex() >= 0 ? " at index " + ex.getIndex() : ""),
                        ex);
            }
            rules.add(new Rule(pattern, e.getValue(), line));
        }
        if (answers.isEmpty()) {
            throw new IllegalArgumentException(name + " defines no answer: write {\"a regular expression\": \"its "
                                               + "answer\", ..., \"" + OTHERWISE + "\": \"the answer to every other "
                                               + "message\"}");
        }
        return new AnswersFile(rules, answers.get(OTHERWISE));
    }

    /** The patterns and their answers, in the order they are tried. */
    List<Rule> rules() {
        return rules;
    }

    /** The answer to a message no pattern matches; null: the agent echoes it. */
    String otherwise() {
        return otherwise;
    }

    /** {@code agent}, answering as this file says. */
    ElizaTestAgent applyTo(ElizaTestAgent agent) {
        ElizaTestAgent answering = agent;
        for (Rule rule : rules) {
            answering = answering.when(rule.pattern(), rule.answer());
        }
        return otherwise != null ? answering.otherwise(otherwise) : answering;
    }

    /** What the agents answer, in a few words, e.g. "2 patterns, otherwise an echo". */
    String describe() {
        return rules.size() + (rules.size() == 1 ? " pattern" : " patterns") + ", otherwise "
               + (otherwise != null ? "\"" + otherwise + "\"" : "an echo");
    }

    /** Just JSON's object of strings, with the line and column of every error. */
    private static final class Parser {
        private final String name;
        private final String text;
        private int pos;

        Parser(String name, String text) {
            this.name = name;
            // an editor's byte order mark is no content
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        /** The object of the whole text; {@code lines} is given the line of each key. */
        Map<String, String> object(Map<String, Integer> lines) {
            Map<String, String> answers = new LinkedHashMap<>();
            skipBlanks();
            if (peek() != '{') {
                throw error(pos, "expected '{' (an answers file is a JSON object: {\"a regular expression\": \"its "
                                 + "answer\", ...}), found " + found());
            }
            pos++;
            skipBlanks();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    skipBlanks();
                    if (peek() != '"') {
                        throw error(pos, peek() == '}'
                                ? "a ',' before '}': JSON allows no comma after the last answer"
                                : "expected a pattern in double quotes, found " + found());
                    }
                    int keyStart = pos;
                    int keyLine = lineOf(pos);
                    String key = string();
                    if (lines.containsKey(key)) {
                        throw error(keyStart, "the pattern \"" + key + "\" is given twice, on lines " + lines.get(key)
                                         + " and " + keyLine);
                    }
                    skipBlanks();
                    if (peek() != ':') {
                        throw error(pos, "expected ':' after \"" + key + "\", found " + found());
                    }
                    pos++;
                    skipBlanks();
                    if (peek() != '"') {
                        throw error(pos, peek() == ',' || peek() == '}' || peek() == 0
                                ? "the pattern \"" + key + "\" has no answer"
                                : "the answer to \"" + key + "\" must be a string in double quotes, found " + found());
                    }
                    lines.put(key, keyLine);
                    answers.put(key, string());
                    skipBlanks();
                    if (peek() == ',') {
                        pos++;
                    } else if (peek() == '}') {
                        pos++;
                        break;
                    } else {
                        throw error(pos, "expected ',' or '}' after the answer to \"" + key + "\", found " + found());
                    }
                }
            }
            skipBlanks();
            if (pos < text.length()) {
                throw error(pos, "nothing may follow the object's closing '}', found " + found());
            }
            return answers;
        }

        /** A JSON string, from its opening quote on. */
        private String string() {
            int start = pos++;
            StringBuilder s = new StringBuilder();
            while (true) {
                if (pos >= text.length() || text.charAt(pos) == '\n') {
                    throw error(start, "the string that starts here is not closed by a '\"' on its line (a line "
                                       + "break inside a string is written \\n)");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return s.toString();
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char escaped = pos < text.length() ? text.charAt(pos++) : ' ';
                switch (escaped) {
                    case '"', '\\', '/' -> s.append(escaped);
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> s.append(unicode());
                    default -> throw error(pos - 2, "\\" + escaped + " is not an escape of JSON: a regular "
                                                    + "expression's backslash is written twice in JSON, \"\\\\"
                                                    + escaped + "\"");
                }
            }
        }

        private char unicode() {
            if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                throw error(pos - 2, "\\u must be followed by 4 hexadecimal digits");
            }
            char c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
            pos += 4;
            return c;
        }

        private void skipBlanks() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        /** The character at the position, 0 at the end of the text. */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private String found() {
            if (pos >= text.length()) {
                return "the end of the file";
            }
            int end = Math.min(text.length(), pos + 20);
            int lineEnd = text.indexOf('\n', pos);
            return "'" + text.substring(pos, lineEnd >= 0 ? Math.min(end, lineEnd) : end).strip() + "'";
        }

        private int lineOf(int at) {
            int line = 1;
            for (int i = 0; i < at && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private IllegalArgumentException error(int at, String message) {
            int lineStart = text.lastIndexOf('\n', Math.max(0, Math.min(at, text.length()) - 1)) + 1;
            return new IllegalArgumentException(name + ", line " + lineOf(at) + ", column " + (at - lineStart + 1)
                                                + ": " + message);
        }
    }
}
