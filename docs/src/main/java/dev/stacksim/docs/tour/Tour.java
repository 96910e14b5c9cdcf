package dev.stacksim.docs.tour;

/** Placeholder replaced by the tour (see the foundation issue). */
public final class Tour {
    private Tour() {
    }

    public static void main(String[] args) {
        System.out.println("stacksim tour");
    }
}
