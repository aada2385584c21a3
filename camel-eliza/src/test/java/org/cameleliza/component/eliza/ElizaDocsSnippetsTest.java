package org.cameleliza.component.eliza;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every code block of README.md and docs/*.md either is the text of a tested source (a {@code <!-- snippet: ... -->}
 * marker above it, see {@link MarkdownSnippets}), or is checked here for what its language is: Java compiles, YAML
 * parses and loads as Camel routes, properties parse (no trailing comments), XML and JSON parse; or it says it is no
 * code ({@code bash}, {@code text}, {@code console}: commands and output). Environment placeholders on the pages have
 * defaults, and each runtime page names the versions its examples run on. Stale blocks: run with
 * -Deliza.docs.update=true to copy the sources' text into the pages.
 */
class ElizaDocsSnippetsTest {

    private static final Path ROOT = Paths.get("..");
    private static final Set<String> CHECKED = Set.of("java", "yaml", "properties", "xml", "json");
    private static final Set<String> NOT_CODE = Set.of("bash", "text", "console");
    private static final Pattern ENV_WITHOUT_DEFAULT = Pattern.compile("\\{\\{env:[A-Za-z0-9_]+}}|\\$\\{[A-Z][A-Z0-9_]*}");
    private static final Pattern TRAILING_COMMENT = Pattern.compile("^\\s*[^#!\\s].*\\s#.*");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:\\.\\d+)?");

    /** The versions each runtime page must name in its "Run on" paragraph: values of its examples' POMs. */
    private static final Map<String, List<String>> RUN_ON = Map.of(
            "runtime-camel-main.md", List.of("camel-eliza-examples/kamelet-main/pom.xml properties/camel.version",
                    "pom.xml properties/camel.version"),
            "runtime-spring-boot.md", List.of("camel-eliza-examples/spring-boot/pom.xml parent/version",
                    "camel-eliza-examples/spring-boot/pom.xml properties/camel-spring-boot.version",
                    "camel-eliza-examples/spring-boot-3/pom.xml parent/version",
                    "camel-eliza-examples/spring-boot-3/pom.xml properties/camel-spring-boot.version"),
            "runtime-quarkus.md", List.of("camel-eliza-examples/quarkus/pom.xml properties/quarkus.version",
                    "camel-eliza-examples/quarkus/pom.xml properties/camel-quarkus.version"),
            "runtime-jbang.md", List.of("camel-eliza-examples/jbang/pom.xml properties/camel-jbang.version"));

    private static List<MarkdownSnippets.Block> blocks;

    @BeforeAll
    static void readPages() throws IOException {
        blocks = new ArrayList<>();
        for (Path page : pages()) {
            blocks.addAll(MarkdownSnippets.blocks(page));
        }
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyBlockSaysWhatItIs() {
        assertThat(blocks).hasSizeGreaterThan(50);
        for (MarkdownSnippets.Block b : blocks) {
            assertThat(b.language()).as(b.where() + ": the language of a code block, one of " + CHECKED
                                        + " (checked) or " + NOT_CODE + " (commands, output)")
                    .isIn(union(CHECKED, NOT_CODE));
            if (!b.sources().isEmpty()) {
                assertThat(b.language()).as(b.where() + ": a block taken from a source is code").isIn(CHECKED);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        blocks.forEach(b -> counts.merge(b.sources().isEmpty() ? b.language() : "from a tested source", 1, Integer::sum));
        System.out.println("Docs code blocks: " + blocks.size() + " " + counts);
    }

    @Test
    void blocksTakenFromSourcesAreTheSourcesText() throws IOException {
        if (Boolean.getBoolean("eliza.docs.update")) {
            for (Path page : pages()) {
                Files.writeString(page, MarkdownSnippets.update(ROOT, page), StandardCharsets.UTF_8);
            }
            readPages();
        }
        List<String> stale = new ArrayList<>();
        for (MarkdownSnippets.Block b : blocks) {
            for (String source : b.sources()) {
                List<String> expected = MarkdownSnippets.source(ROOT, source);
                if (!b.lines().equals(expected)) {
                    int line = 0;
                    while (line < Math.min(b.lines().size(), expected.size())
                           && b.lines().get(line).equals(expected.get(line))) {
                        line++;
                    }
                    stale.add(b.doc().getFileName() + ":" + (b.fenceLine() + 1 + line) + " (the block at line "
                              + b.fenceLine() + ") is not the text of " + source);
                }
            }
        }
        assertThat(stale).as("stale snippets: run this test with -Deliza.docs.update=true").isEmpty();
    }

    @Test
    void javaBlocksCompile(@TempDir Path work) throws IOException {
        List<MarkdownSnippets.Block> java = free("java");
        assertThat(java).isNotEmpty();
        assertThat(JavaSnippetCompiler.compile(java, work)).as("compilation errors").isEmpty();
    }

    @Test
    void yamlBlocksParseAndLoadAsCamelRoutes() throws Exception {
        for (MarkdownSnippets.Block b : of("yaml")) {
            Object yaml = new Load(LoadSettings.builder().build()).loadFromString(b.text());
            assertThat(yaml).as(b.where()).isNotNull();
            if (b.sources().isEmpty()) {
                // the DSL's own parser: an unknown step or parameter name fails here
                try (DefaultCamelContext camel = new DefaultCamelContext()) {
                    PluginHelper.getRoutesLoader(camel)
                            .loadRoutes(ResourceHelper.fromString("snippet.camel.yaml", b.text()));
                    assertThat(camel.getRouteDefinitions()).as(b.where() + " holds routes").isNotEmpty();
                }
            }
        }
    }

    @Test
    void propertiesBlocksParseAndNameRealOptions() throws IOException {
        JsonNode options;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/org/cameleliza/component/eliza/eliza.json")) {
            options = new ObjectMapper().readTree(in).get("componentProperties");
        }
        for (MarkdownSnippets.Block b : of("properties")) {
            for (String line : b.lines()) {
                assertThat(TRAILING_COMMENT.matcher(line).matches())
                        .as(b.where() + ": a .properties file has no trailing comments (it would be part of the value): "
                            + line).isFalse();
            }
            Properties properties = new Properties();
            properties.load(new StringReader(b.text()));
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith("camel.component.eliza.")) {
                    String option = camelCase(key.substring("camel.component.eliza.".length()));
                    assertThat(options.has(option) || option.equals("enabled"))
                            .as(b.where() + ": " + key + " is no component option").isTrue();
                }
            }
        }
    }

    @Test
    void xmlAndJsonBlocksParse() throws Exception {
        String projectVersion = pomValue("pom.xml", "version");
        for (MarkdownSnippets.Block b : of("xml")) {
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader("<snippet>" + b.text() + "</snippet>")));
            NodeList dependencies = xml.getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element d = (Element) dependencies.item(i);
                if (text(d, "groupId").equals("org.cameleliza") && !text(d, "version").startsWith("${")) {
                    assertThat(text(d, "version")).as(b.where() + ": " + text(d, "artifactId") + "'s version")
                            .isEqualTo(projectVersion);
                }
            }
        }
        for (MarkdownSnippets.Block b : of("json")) {
            assertThat(new ObjectMapper().readTree(b.text())).as(b.where()).isNotNull();
        }
    }

    @Test
    void environmentPlaceholdersHaveDefaults() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = ENV_WITHOUT_DEFAULT.matcher(lines.get(i));
                while (m.find()) {
                    found.add(page.getFileName() + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertThat(found).as("an unset variable stops Camel ({{env:X}}) or becomes the value (Spring's ${X}): "
                             + "give a default, {{env:X:}} or ${X:}").isEmpty();
    }

    @Test
    void runtimePagesNameTheVersionsTheirExamplesRunOn() throws Exception {
        for (Map.Entry<String, List<String>> page : RUN_ON.entrySet()) {
            String text = Files.readString(ROOT.resolve("docs").resolve(page.getKey()), StandardCharsets.UTF_8);
            int from = text.startsWith("Run on ") ? 0 : text.indexOf("\nRun on ") + 1;
            assertThat(from).as(page.getKey() + ": a paragraph 'Run on ...' naming the versions").isPositive();
            int to = text.indexOf("\n\n", from);
            String runOn = text.substring(from, to < 0 ? text.length() : to);
            List<String> named = VERSION.matcher(runOn).results().map(MatchResult::group).toList();
            for (String value : page.getValue()) {
                String[] pomAndPath = value.split(" ");
                assertThat(named).as(page.getKey() + ": the 'Run on' paragraph names " + value)
                        .contains(pomValue(pomAndPath[0], pomAndPath[1]));
            }
        }
    }

    private static List<MarkdownSnippets.Block> of(String language) {
        return blocks.stream().filter(b -> b.language().equals(language)).toList();
    }

    private static List<MarkdownSnippets.Block> free(String language) {
        return of(language).stream().filter(b -> b.sources().isEmpty()).toList();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(java.util.stream.Collectors.toSet());
    }

    private static String camelCase(String kebab) {
        StringBuilder sb = new StringBuilder();
        for (String part : kebab.split("-")) {
            sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
    }

    /** The text of an element of a POM, by its path below {@code <project>} ("parent/version"). */
    private static String pomValue(String pom, String path) throws Exception {
        Element element = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve(pom).toFile()).getDocumentElement();
        for (String name : path.split("/")) {
            element = child(element, name);
            assertThat(element).as(pom + ": " + path).isNotNull();
        }
        return element.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }
}
