package org.cameleliza.component.eliza;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of a Markdown page, and the tested sources some of them are taken from.
 * <p>
 * A block taken from a source is preceded, on the line above its fence, by {@code <!-- snippet: PATH -->} (the whole
 * file) or {@code <!-- snippet: PATH#NAME -->} (the region between the lines holding {@code tag::NAME[]} and
 * {@code end::NAME[]}, in whatever comment the file's language has: {@code // tag::route[]}, {@code # tag::route[]},
 * {@code <!-- tag::route[] -->}). A tag may open and close several times: its regions are joined. Lines holding a tag
 * are never part of a snippet, and a region loses the indentation its lines have in common, as Asciidoctor's
 * {@code include::file[tags=NAME]} does. Paths are relative to the repository's root. A marker may name several
 * sources separated by spaces: the block must then equal each of them (the same text in two tested places).
 */
final class MarkdownSnippets {

    private static final Pattern FENCE = Pattern.compile("^( *)(```+)([^`\\s]*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- snippet: (.+?) -->\\s*$");
    private static final Pattern TAG_LINE = Pattern.compile(".*\\b(tag|end)::([\\w.-]+)\\[].*");

    private MarkdownSnippets() {
    }

    /** A fenced code block: its content without the fence's indentation, and the sources its marker names. */
    record Block(Path doc, int fenceLine, String indent, String language, List<String> sources, List<String> lines) {

        String text() {
            return String.join("\n", lines);
        }

        /** Where the block is, as an editor takes it: the page and the line of the opening fence. */
        String where() {
            return doc.getFileName() + ":" + fenceLine;
        }
    }

    static List<Block> blocks(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            int close = i + 1;
            while (close < lines.size() && !isClosing(lines.get(close), open.group(2))) {
                close++;
            }
            if (close == lines.size()) {
                throw new IllegalStateException(doc.getFileName() + ":" + (i + 1) + ": a code block that never ends");
            }
            List<String> content = new ArrayList<>();
            for (String line : lines.subList(i + 1, close)) {
                content.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
            }
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
            List<String> sources = marker != null && marker.matches()
                    ? Arrays.asList(marker.group(1).trim().split("\\s+")) : List.of();
            blocks.add(new Block(doc, i + 1, indent, open.group(3), sources, content));
            i = close;
        }
        return blocks;
    }

    private static boolean isClosing(String line, String fence) {
        String stripped = line.strip();
        return stripped.startsWith(fence) && stripped.chars().allMatch(c -> c == '`');
    }

    /** The text a marker's source names ({@code path} or {@code path#tag}), as the page must show it. */
    static List<String> source(Path root, String spec) throws IOException {
        int hash = spec.indexOf('#');
        Path file = root.resolve(hash < 0 ? spec : spec.substring(0, hash));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("No such source: " + spec);
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> region = new ArrayList<>();
        if (hash < 0) {
            all.stream().filter(l -> !TAG_LINE.matcher(l).matches()).forEach(region::add);
        } else {
            String tag = spec.substring(hash + 1);
            boolean inside = false;
            boolean found = false;
            for (String line : all) {
                Matcher m = TAG_LINE.matcher(line);
                if (m.matches()) {
                    if (m.group(2).equals(tag)) {
                        inside = m.group(1).equals("tag");
                        found = true;
                    }
                } else if (inside) {
                    region.add(line);
                }
            }
            if (!found || inside) {
                throw new IllegalStateException(spec + ": no region tag::" + tag + "[] ... end::" + tag + "[] in the file");
            }
        }
        while (!region.isEmpty() && region.get(region.size() - 1).isBlank()) {
            region.remove(region.size() - 1);
        }
        return dedent(region);
    }

    private static List<String> dedent(List<String> lines) {
        int common = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(common)).toList();
    }

    /** The page with each block that has sources replaced by the text of its first source. */
    static String update(Path root, Path doc) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(doc, StandardCharsets.UTF_8));
        List<Block> blocks = blocks(doc);
        for (int b = blocks.size() - 1; b >= 0; b--) {
            Block block = blocks.get(b);
            if (block.sources().isEmpty()) {
                continue;
            }
            List<String> replacement = source(root, block.sources().get(0)).stream()
                    .map(l -> l.isEmpty() ? "" : block.indent() + l).toList();
            int from = block.fenceLine(); // the first content line, 0-based
            for (int i = 0; i < block.lines().size(); i++) {
                lines.remove(from);
            }
            lines.addAll(from, replacement);
        }
        return String.join("\n", lines) + "\n";
    }
}
