package dev.stacksim.sim;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Callable} handed to {@link EventLoop#submit}, with the future its caller waits on. The
 * loop recognises it when it discards pending work on {@link EventLoop#close()}, so the waiting
 * thread sees a cancelled future instead of waiting forever.
 */
final class SubmittedTask<T> implements Runnable {
    /** The work, run on the loop. */
    private final Callable<T> task;
    /** Completed with the task's result or exception, or cancelled if the loop closes first. */
    final CompletableFuture<T> future = new CompletableFuture<>();

    SubmittedTask(Callable<T> task) {
        this.task = task;
    }

    @Override
    public void run() {
        if (future.isDone()) {
            return;
        }
        try {
            future.complete(task.call());
        } catch (Throwable t) {
            // The submitter asked for the outcome: it goes to the future, not to the loop.
            future.completeExceptionally(t);
        }
    }

    /** Called for work the loop will never run. */
    void cancel() {
        future.cancel(false);
    }

    @Override
    public String toString() {
        return "submit(" + task + ")";
    }
}
