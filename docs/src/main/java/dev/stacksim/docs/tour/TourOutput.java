package dev.stacksim.docs.tour;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a chapter prints: headings, paragraphs wrapped for an 80-column terminal, and indented
 * blocks of program output.
 */
public final class TourOutput {
    /** Lines are wrapped to this many columns. */
    public static final int WIDTH = 78;

    private final PrintStream out;
    private final Path artifacts;

    /** Prints to {@code out}; chapters write their files (SVG, pcap) under {@code artifacts}. */
    public TourOutput(PrintStream out, Path artifacts) {
        this.out = out;
        this.artifacts = artifacts;
    }

    /**
     * The path of a file a chapter writes ({@code <artifacts>/<chapter>/<name>}), its directory
     * created.
     */
    public Path artifact(String chapter, String name) {
        try {
            return Files.createDirectories(artifacts.resolve(chapter)).resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException("tour: cannot create " + artifacts.resolve(chapter), e);
        }
    }

    /** A chapter heading, underlined. */
    public void heading(String text) {
        out.println();
        out.println(text);
        out.println("=".repeat(Math.min(WIDTH, text.length())));
    }

    /** A paragraph of prose, wrapped to {@link #WIDTH} columns, followed by a blank line. */
    public void para(String text) {
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
                out.println(line);
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.println(line);
        }
        out.println();
    }

    /**
     * One line of program output, indented by two spaces; a line longer than {@link #WIDTH} is
     * wrapped at spaces, its continuation indented by four more.
     */
    public void show(String line) {
        String indent = "  ";
        String rest = line;
        while (indent.length() + rest.length() > WIDTH) {
            int room = WIDTH - indent.length();
            int cut = rest.lastIndexOf(' ', room);
            if (cut <= 0) {
                cut = room;
            }
            out.println(indent + rest.substring(0, cut));
            rest = rest.substring(cut).stripLeading();
            indent = "      ";
        }
        out.println(indent + rest);
    }

    /** A blank line. */
    public void blank() {
        out.println();
    }
}
