package dev.isolation.operator.bench;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * JOSDK metrics hook that counts and times every reconcile (and cleanup) per controller: wall
 * time inside the reconciler, which includes waiting for the API server, and the CPU time of the
 * reconciling thread, which does not.
 */
final class ReconcileMetrics implements Metrics {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    record Snapshot(long executions, long failures, long wallNanos, long cpuNanos) {
        Snapshot minus(Snapshot before) {
            return new Snapshot(executions - before.executions, failures - before.failures,
                    wallNanos - before.wallNanos, cpuNanos - before.cpuNanos);
        }
    }

    private static final class Counters {
        final LongAdder executions = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder wall = new LongAdder();
        final LongAdder cpu = new LongAdder();
    }

    private final Map<String, Counters> byController = new ConcurrentHashMap<>();

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Counters c = byController.computeIfAbsent(execution.controllerName(), k -> new Counters());
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        try {
            return execution.execute();
        } catch (Exception e) {
            c.failures.increment();
            throw e;
        } finally {
            c.cpu.add(THREADS.getCurrentThreadCpuTime() - cpu);
            c.wall.add(System.nanoTime() - wall);
            c.executions.increment();
        }
    }

    Snapshot snapshot(String controller) {
        Counters c = byController.get(controller);
        return c == null ? new Snapshot(0, 0, 0, 0)
                : new Snapshot(c.executions.sum(), c.failures.sum(), c.wall.sum(), c.cpu.sum());
    }
}
