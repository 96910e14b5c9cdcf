package dev.stacksim.docs.tour;

/**
 * One chapter of the tour: a short, deterministic scenario that shows one concept from the seeds
 * and prints what happens. Each chapter has a page of its own in the guide ({@code docs/guide/}).
 */
public interface Chapter {
    /** The short name given on the command line: {@code -Dtour=skbuff}. */
    String id();

    /** The one-line title printed in the chapter list and as the chapter's heading. */
    String title();

    /** The guide page that explains the chapter, relative to {@code docs/}. */
    String guidePage();

    /** Runs the scenario, printing to {@code out}. Must finish well under a second. */
    void run(TourOutput out);
}
