package dev.stacksim.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the guide honest: every code block in {@code docs/*.md} preceded by
 * {@code <!-- snippet: path/File.java#tag -->} must equal the region between {@code // tag::tag[]}
 * and {@code // end::tag[]} of that source file (dedented), so the code a reader sees is code that
 * compiles and runs in CI.
 */
class GuideSnippetsTest {
    private static final Path DOCS = Path.of("").toAbsolutePath();
    private static final Path SOURCES = DOCS.resolve("src/main/java/dev/stacksim/docs");
    private static final Pattern MARKER = Pattern.compile(
            "<!-- snippet: ([\\w/.]+)#([\\w-]+) -->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everySnippetMatchesItsSource() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path md : markdownFiles()) {
            String text = Files.readString(md);
            Matcher m = MARKER.matcher(text);
            while (m.find()) {
                checked++;
                Path source = SOURCES.resolve(m.group(1));
                if (!Files.exists(source)) {
                    problems.add(md.getFileName() + ": no source " + m.group(1));
                    continue;
                }
                String region = region(Files.readString(source), m.group(2));
                if (region == null) {
                    problems.add(md.getFileName() + ": no tag " + m.group(2) + " in " + m.group(1));
                } else if (!region.equals(m.group(3))) {
                    problems.add(md.getFileName() + ": snippet " + m.group(1) + "#" + m.group(2)
                            + " differs from the source; it should read:\n" + region);
                }
            }
        }
        assertTrue(checked > 0, "no snippets found under " + DOCS);
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
    }

    @Test
    void dedentRemovesTheCommonIndent() {
        assertEquals("a();\n  b();\n", dedent(List.of("    a();", "      b();")));
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> s = Files.walk(DOCS)) {
            return s.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.startsWith(DOCS.resolve("target")))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** The lines between the tag's start and end markers, dedented, or null when absent. */
    static String region(String source, String tag) {
        List<String> lines = source.lines().collect(Collectors.toList());
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.equals("// tag::" + tag + "[]")) {
                start = i + 1;
            } else if (t.equals("// end::" + tag + "[]") && start >= 0) {
                return dedent(lines.subList(start, i));
            }
        }
        return null;
    }

    static String dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return sb.toString();
    }
}
