package dev.isolation.operator.probe.live;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a probe pod's status defensively: any field may be missing. */
final class PodView {

    /** Pod-level reasons of a pod the system stopped: its exit code says nothing about the network. */
    private static final Set<String> KILLED = Set.of("DeadlineExceeded", "Evicted", "Preempting", "Shutdown", "Terminated");
    /** 128 + signal: the container was killed rather than exiting by itself. */
    private static final int SIGNALLED = 128;

    private final PodStatus status;

    PodView(Pod pod) {
        this.status = pod.getStatus();
    }

    private Optional<ContainerStatus> container() {
        List<ContainerStatus> statuses = status == null ? null : status.getContainerStatuses();
        return statuses == null || statuses.isEmpty() || statuses.get(0) == null ? Optional.empty() : Optional.of(statuses.get(0));
    }

    private Optional<ContainerStateTerminated> terminated() {
        return container().map(ContainerStatus::getState).map(s -> s.getTerminated());
    }

    /** Why the pod was stopped by the system, if it was. */
    Optional<String> killed() {
        if (status != null && status.getReason() != null && KILLED.contains(status.getReason())) {
            return Optional.of("was stopped: " + status.getReason()
                    + (status.getMessage() == null ? "" : " (" + status.getMessage() + ")"));
        }
        Optional<ContainerStateTerminated> t = terminated();
        if (t.isPresent() && ("OOMKilled".equals(t.get().getReason())
                || (t.get().getExitCode() != null && t.get().getExitCode() >= SIGNALLED))) {
            return Optional.of("was killed: " + t.get().getReason() + ", exit code " + t.get().getExitCode());
        }
        return Optional.empty();
    }

    /** The exit code of a container that terminated by itself. */
    Optional<Integer> exitCode() {
        return terminated().map(ContainerStateTerminated::getExitCode);
    }

    boolean ready() {
        return status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    Optional<String> waitingReason() {
        return waiting().map(ContainerStateWaiting::getReason);
    }

    String waitingDetail() {
        return waiting().map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage())).orElse("");
    }

    private Optional<ContainerStateWaiting> waiting() {
        return container().map(ContainerStatus::getState).map(s -> s.getWaiting());
    }

    /** A short description of where the pod is, for messages. */
    String describe() {
        if (status == null) {
            return "no status yet";
        }
        String phase = status.getPhase() == null ? "no phase" : "phase " + status.getPhase();
        String scheduling = status.getConditions() == null ? "" : status.getConditions().stream()
                .filter(c -> c != null && "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> ", unschedulable: " + c.getMessage()).findFirst().orElse("");
        String wait = waitingDetail();
        return phase + scheduling + (wait.isEmpty() ? "" : ", waiting: " + wait);
    }
}
