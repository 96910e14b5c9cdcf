package dev.stacksim.docs.tour;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The tour: the README's first command. Each chapter is a short deterministic scenario that shows
 * one concept of socket and stack internals and prints what happens.
 *
 * <pre>
 * mvn -q -Ptour package -Dtour=          # list the chapters
 * mvn -q -Ptour package -Dtour=all       # run them all
 * mvn -q -Ptour package -Dtour=skbuff    # run one (several: -Dtour="skbuff byteorder")
 * </pre>
 *
 * <p>Chapters that draw a sequence diagram or capture packets write them under
 * {@code docs/target/tour/<chapter>/} (the system property {@code tour.out}).
 */
public final class Tour {
    /** Every chapter, in reading order. */
    public static final List<Chapter> CHAPTERS = List.of(
            new SocketsChapter(),
            new SkBuffChapter(),
            new ByteOrderChapter(),
            new WireChapter(),
            new NicChapter(),
            new UdpChapter(),
            new CloseShutdownChapter(),
            new HandshakeChapter(),
            new QueuesChapter(),
            new BuffersChapter(),
            new SynFloodChapter(),
            new BlockingChapter(),
            new ReuseChapter(),
            new ProcChapter(),
            new TcpUdpChapter(),
            new CongestionChapter());

    private Tour() {
    }

    /** Lists the chapters with no argument; runs {@code all} or the chapters named. */
    public static void main(String[] args) {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the tour with {@code args}, printing to {@code out}.
     *
     * @return the exit status: 0, or 2 when a chapter name is unknown
     */
    public static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            listChapters(out);
            return 0;
        }
        TourOutput to = new TourOutput(out, Path.of(System.getProperty("tour.out", "target/tour")));
        if (args.length == 1 && args[0].equals("all")) {
            for (Chapter c : CHAPTERS) {
                runChapter(c, to);
            }
            return 0;
        }
        for (String id : args) {
            if (find(id).isEmpty()) {
                out.println("tour: no chapter named '" + id + "'");
                listChapters(out);
                return 2;
            }
        }
        for (String id : args) {
            runChapter(find(id).orElseThrow(), to);
        }
        return 0;
    }

    private static void runChapter(Chapter c, TourOutput to) {
        to.heading(c.title());
        c.run(to);
        to.show("(explained in docs/" + c.guidePage() + ")");
    }

    private static Optional<Chapter> find(String id) {
        return CHAPTERS.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    private static void listChapters(PrintStream out) {
        out.println("stacksim tour, a chapter per concept: -Dtour=<name> runs one, -Dtour=all all.");
        out.println();
        for (Chapter c : CHAPTERS) {
            out.printf("  %-10s %s%n", c.id(), c.title());
        }
    }
}
