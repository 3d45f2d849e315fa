package dev.isolation.operator.reconcile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileFirstExecutorTest {

    /** A task named the way JOSDK names its reconcile tasks. */
    private static Runnable task(String name, List<String> ran) {
        return new Runnable() {
            @Override
            public void run() {
                ran.add(name);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Test
    void profileReconcilesRunBeforeQueuedNamespaceReconcilesAndOrderIsKeptOtherwise() throws Exception {
        ProfileFirstExecutor executor = new ProfileFirstExecutor(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        executor.execute(task("namespaces -> ExecutionScope{ns-1}", ran));
        executor.execute(task("namespaces -> ExecutionScope{ns-2}", ran));
        executor.execute(task("isolationprofiles -> ExecutionScope{db}", ran));
        executor.execute(task("something else", ran));
        // The thread name JOSDK gives a running reconcile is not the task's name: normal priority.
        executor.execute(task("ReconcilerExecutor-isolationprofiles-x", ran));
        executor.execute(task("isolationprofiles -> ExecutionScope{web}", ran));
        release.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("isolationprofiles -> ExecutionScope{db}", "isolationprofiles -> ExecutionScope{web}",
                "namespaces -> ExecutionScope{ns-1}", "namespaces -> ExecutionScope{ns-2}", "something else",
                "ReconcilerExecutor-isolationprofiles-x");
    }
}
