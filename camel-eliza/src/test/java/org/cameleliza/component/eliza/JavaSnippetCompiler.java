package org.cameleliza.component.eliza;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the Java blocks of the docs that are not taken from a tested source, against the test class path (the
 * component, Camel core, the test kit). A block with a {@code package} or {@code import} line is a compilation unit
 * and compiled as it is; a block that declares a type gets the imports below; any other block is a route fragment,
 * compiled as the body of a {@code RouteBuilder}'s {@code configure()} that also has a {@code producerTemplate} field.
 */
final class JavaSnippetCompiler {

    static final String IMPORTS = "import org.apache.camel.*;\nimport org.apache.camel.builder.*;\n"
                                  + "import org.cameleliza.component.eliza.*;\n";

    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public\\s+|final\\s+|abstract\\s+)*"
                                                        + "(?:class|interface|record|enum)\\s+(\\w+)");
    private static final Pattern UNIT = Pattern.compile("(?m)^(?:package|import)\\s");

    private JavaSnippetCompiler() {
    }

    /** Compiles the blocks; returns one message per error, naming the page and line of the block it is in. */
    static List<String> compile(List<MarkdownSnippets.Block> blocks, Path workDir) throws IOException {
        Map<Path, MarkdownSnippets.Block> files = new LinkedHashMap<>();
        Map<Path, Integer> offsets = new LinkedHashMap<>();
        int n = 0;
        for (MarkdownSnippets.Block block : blocks) {
            Path dir = workDir.resolve("snippet" + n++);
            Files.createDirectories(dir);
            String text = block.text();
            Matcher type = TYPE.matcher(text);
            String source;
            int offset;
            Path file;
            if (UNIT.matcher(text).find()) {
                source = text;
                offset = 0;
                file = dir.resolve((type.find() ? type.group(1) : "Snippet") + ".java");
            } else if (type.find()) {
                source = IMPORTS + text;
                offset = 3;
                file = dir.resolve(type.group(1) + ".java");
            } else {
                String name = "Snippet" + n;
                source = IMPORTS + "class " + name + " extends RouteBuilder {\n"
                         + "    ProducerTemplate producerTemplate;\n"
                         + "    @Override\n    public void configure() throws Exception {\n"
                         + text + "\n    }\n}\n";
                offset = 7;
                file = dir.resolve(name + ".java");
            }
            Files.writeString(file, source, StandardCharsets.UTF_8);
            files.put(file, block);
            offsets.put(file, offset);
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Path classes = Files.createDirectories(workDir.resolve("classes"));
            List<String> options = List.of("-classpath", testClassPath(), "-d", classes.toString(),
                    "-proc:none", "-Xlint:none", "--release", "17");
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files.keySet());
            compiler.getTask(null, fm, diagnostics, options, null, units).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Path file = d.getSource() == null ? null : Path.of(d.getSource().toUri());
            MarkdownSnippets.Block block = file == null ? null : files.get(file);
            String where = block == null ? String.valueOf(file)
                    : block.doc().getFileName() + ":" + (block.fenceLine() + d.getLineNumber() - offsets.get(file));
            errors.add(where + ": " + d.getMessage(Locale.ROOT));
        }
        return errors;
    }

    /** Surefire runs the tests from a manifest-only jar; the real class path is in a property of its own. */
    private static String testClassPath() {
        String path = System.getProperty("surefire.test.class.path");
        return path != null && !path.isBlank() ? path : System.getProperty("java.class.path");
    }
}
