package dev.isolation.operator.reconcile;

import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JOSDK's reconcile thread pool, shared by both controllers, with profile reconciles ahead of
 * namespace reconciles. With one FIFO queue a new profile's first status waits behind every
 * namespace reconcile it caused (10,000 namespaces: about 100 s with no status at all); profile
 * reconciles are few and cheap, so they jump the queue. Otherwise first come, first served.
 *
 * <p>JOSDK 5.3 hands the pool one task per reconcile whose {@code toString} is
 * {@code <controller> -> <execution scope>} (EventProcessor.ReconcilerExecutor#toString; the
 * {@code ReconcilerExecutor-<controller>-…} name is only the thread's while it runs). A task not
 * named like that keeps normal priority. JOSDK offers no per-controller pool and no typed hook, so
 * the name is the only handle; ProfileStatusProgressTest fails if a JOSDK upgrade changes it.
 */
final class ProfileFirstExecutor extends ThreadPoolExecutor {

    private static final String PROFILE_TASK = ProfileReconciler.NAME + " -> ";

    private final AtomicLong sequence = new AtomicLong();

    ProfileFirstExecutor(int threads) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), new Named());
    }

    @Override
    public void execute(Runnable command) {
        boolean first = String.valueOf(command).startsWith(PROFILE_TASK);
        super.execute(new Ranked(command, first ? 0 : 1, sequence.getAndIncrement()));
    }

    /** A task with its priority (0 first) and arrival order. */
    record Ranked(Runnable task, int priority, long sequence) implements Runnable, Comparable<Ranked> {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public int compareTo(Ranked other) {
            int byPriority = Integer.compare(priority, other.priority);
            return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
        }
    }

    private static final class Named implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "reconciler-" + count.incrementAndGet());
            // Never keeps the JVM alive on its own; JOSDK shuts the pool down when the operator stops.
            t.setDaemon(true);
            return t;
        }
    }
}
