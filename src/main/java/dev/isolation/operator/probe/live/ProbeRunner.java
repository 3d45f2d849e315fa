package dev.isolation.operator.probe.live;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.ProbeContract;
import dev.isolation.operator.api.VerificationResult;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.probe.CheckJudge;
import dev.isolation.operator.probe.CheckResult;
import dev.isolation.operator.probe.Placement;
import dev.isolation.operator.probe.ProbeObjects;
import dev.isolation.operator.probe.ProbeRunResult;
import dev.isolation.operator.probe.ProbeStep;
import dev.isolation.operator.probe.ProbeSteps;
import dev.isolation.operator.probe.ServerKind;
import dev.isolation.operator.probe.StepOutcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Executes one probe run against the cluster: leftovers of earlier runs deleted, servers started,
 * then every step of every check one at a time (its policies, the settle time, its client, the
 * client's exit code), and every object of the run deleted at the end. Never throws for what the
 * cluster does: a missing namespace, a rejected or unstartable pod, a client that never
 * terminates all become Inconclusive results with the reason.
 */
public final class ProbeRunner {

    private static final Logger LOG = Logger.getLogger(ProbeRunner.class);
    /** Waiting reasons after which a container will not start without someone changing something. */
    private static final Set<String> STUCK = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError", "ErrImageNeverPull");

    private final KubernetesClient client;
    private final OperatorConfig.Probe config;
    private final Predicate<String> namespaceExists;
    private final Clock clock;

    public ProbeRunner(KubernetesClient client, OperatorConfig.Probe config, Predicate<String> namespaceExists, Clock clock) {
        this.client = client;
        this.config = config;
        this.namespaceExists = namespaceExists;
        this.clock = clock;
    }

    /** Deletes every pod and NetworkPolicy of any run (after a crash, or before a new run). */
    public void deleteLeftovers() {
        if (!namespaceExists.test(config.namespace())) {
            return;
        }
        deleteAll(client.pods().inNamespace(config.namespace()).withLabel(ProbeContract.RUN_LABEL).list().getItems());
        deleteAll(client.network().v1().networkPolicies().inNamespace(config.namespace())
                .withLabel(ProbeContract.RUN_LABEL).list().getItems());
    }

    public ProbeRunResult run(Set<ProbeCheck> checks) throws InterruptedException {
        String runId = Long.toString(clock.millis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
        Map<ProbeCheck, CheckResult> results = new EnumMap<>(ProbeCheck.class);
        if (!namespaceExists.test(config.namespace())) {
            all(checks, results, "namespace " + config.namespace() + " does not exist (it is part of kustomize/base)");
            return new ProbeRunResult(runId, clock.instant(), results);
        }
        ProbeObjects objects = new ProbeObjects(config.namespace(), config.image(), runId, config.podDeadline().toSeconds());
        try {
            deleteLeftovers();
            execute(checks, objects, results);
        } catch (KubernetesClientException e) {
            LOG.warnf("probe run %s failed: %s", runId, e.getMessage());
            all(checks.stream().filter(c -> !results.containsKey(c)).toList(), results,
                    "the probe could not use the API server: " + e.getMessage());
        } finally {
            try {
                deleteLeftovers();
            } catch (KubernetesClientException e) {
                LOG.warnf("probe run %s: cleanup failed, the next run retries it: %s", runId, e.getMessage());
            }
        }
        return new ProbeRunResult(runId, clock.instant(), results);
    }

    private void execute(Set<ProbeCheck> checks, ProbeObjects objects, Map<ProbeCheck, CheckResult> results)
            throws InterruptedException {
        Placement placement = placement();
        Map<ServerKind, String> serverIps = new EnumMap<>(ServerKind.class);
        Map<ServerKind, String> serverProblems = new EnumMap<>(ServerKind.class);
        for (ServerKind kind : ServerKind.values()) {
            if (kind == ServerKind.SCTP && !checks.contains(ProbeCheck.SCTP)) {
                continue;
            }
            Pod server = objects.server(kind, placement.serverNode());
            PodState state = startServer(server);
            if (state.ip() != null) {
                serverIps.put(kind, state.ip());
            } else {
                serverProblems.put(kind, "server pod " + server.getMetadata().getName() + " " + state.problem());
            }
        }
        for (ProbeCheck check : ProbeCheck.values()) {
            if (!checks.contains(check)) {
                continue;
            }
            CheckResult result = runCheck(check, objects, placement, serverIps, serverProblems);
            results.put(check, result);
            if (check == ProbeCheck.BASELINE && result.result() != VerificationResult.Passed) {
                String why = "baseline did not pass, so no other check can be trusted: " + result.message();
                all(checks.stream().filter(c -> !results.containsKey(c)).toList(), results, why);
                return;
            }
        }
    }

    private CheckResult runCheck(ProbeCheck check, ProbeObjects objects, Placement placement,
                                 Map<ServerKind, String> serverIps, Map<ServerKind, String> serverProblems)
            throws InterruptedException {
        List<ProbeStep> steps = ProbeSteps.of(check, objects.runLabels().get(ProbeContract.RUN_LABEL));
        for (ProbeStep step : steps) {
            String ip = serverIps.get(step.server());
            if (ip == null) {
                return CheckResult.inconclusive(check, serverProblems.get(step.server()), clock.instant());
            }
            Optional<CheckResult> decided = CheckJudge.judge(step, runStep(step, objects, placement, ip), clock.instant());
            if (decided.isPresent()) {
                return decided.get();
            }
        }
        return CheckResult.passed(check, clock.instant());
    }

    /** Exactly this step's policies, the settle time, then its client until it terminates. */
    private StepOutcome runStep(ProbeStep step, ProbeObjects objects, Placement placement, String serverIp)
            throws InterruptedException {
        deleteAll(client.network().v1().networkPolicies().inNamespace(config.namespace())
                .withLabel(ProbeContract.RUN_LABEL).list().getItems());
        for (int i = 0; i < step.policies().size(); i++) {
            client.network().v1().networkPolicies().inNamespace(config.namespace())
                    .resource(objects.policy(step, i, step.policies().get(i))).create();
        }
        Thread.sleep(config.settleTime().toMillis());
        Pod pod = objects.client(step, serverIp, placement.clientNode());
        String target = pod.getMetadata().getAnnotations().get(ProbeContract.TARGET_ANNOTATION);
        try {
            client.pods().inNamespace(config.namespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            return StepOutcome.noResult(target, "client pod rejected: " + reason(e));
        }
        try {
            return awaitClient(pod.getMetadata().getName(), target);
        } finally {
            deleteAll(List.of(pod));
        }
    }

    private StepOutcome awaitClient(String name, String target) throws InterruptedException {
        long deadline = System.nanoTime() + config.podDeadline().toNanos() + config.pollInterval().toNanos();
        String last = "it did not start";
        while (System.nanoTime() < deadline) {
            Pod pod = client.pods().inNamespace(config.namespace()).withName(name).get();
            if (pod == null) {
                return StepOutcome.noResult(target, "client pod disappeared before it terminated");
            }
            PodView view = new PodView(pod);
            Optional<String> killed = view.killed();
            if (killed.isPresent()) {
                return StepOutcome.noResult(target, "client pod " + killed.get());
            }
            Optional<Integer> exit = view.exitCode();
            if (exit.isPresent()) {
                return exit.get() == 0 ? StepOutcome.connected(target)
                        : StepOutcome.blocked(target, "exit code " + exit.get());
            }
            Optional<String> stuck = view.waitingReason().filter(STUCK::contains);
            if (stuck.isPresent()) {
                return StepOutcome.noResult(target, "client pod cannot start: " + view.waitingDetail());
            }
            last = view.describe();
            Thread.sleep(config.pollInterval().toMillis());
        }
        return StepOutcome.noResult(target, "client pod did not terminate within " + config.podDeadline().toSeconds()
                + "s (" + last + ")");
    }

    private record PodState(String ip, String problem) {
    }

    private PodState startServer(Pod server) throws InterruptedException {
        try {
            client.pods().inNamespace(config.namespace()).resource(server).create();
        } catch (KubernetesClientException e) {
            return new PodState(null, "was rejected: " + reason(e));
        }
        long deadline = System.nanoTime() + config.podDeadline().toNanos();
        String last = "it was not scheduled";
        while (System.nanoTime() < deadline) {
            Pod pod = client.pods().inNamespace(config.namespace()).withName(server.getMetadata().getName()).get();
            if (pod == null) {
                return new PodState(null, "disappeared");
            }
            PodView view = new PodView(pod);
            if (view.ready() && pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isBlank()) {
                return new PodState(pod.getStatus().getPodIP(), null);
            }
            if (view.waitingReason().filter(STUCK::contains).isPresent()) {
                return new PodState(null, "cannot start: " + view.waitingDetail());
            }
            if (view.killed().isPresent() || view.exitCode().isPresent()) {
                return new PodState(null, "stopped: " + view.describe());
            }
            last = view.describe();
            Thread.sleep(config.pollInterval().toMillis());
        }
        return new PodState(null, "did not become ready within " + config.podDeadline().toSeconds() + "s (" + last + ")");
    }

    private Placement placement() {
        try {
            List<Node> nodes = client.nodes().list().getItems();
            return Placement.choose(nodes);
        } catch (KubernetesClientException e) {
            return new Placement(null, null);
        }
    }

    /** Only objects carrying the run label, even if a server ignored the existence selector. */
    private void deleteAll(List<? extends HasMetadata> objects) {
        for (HasMetadata object : objects) {
            Map<String, String> labels = object.getMetadata().getLabels();
            if (labels == null || !labels.containsKey(ProbeContract.RUN_LABEL)) {
                continue;
            }
            try {
                client.resource(object).inNamespace(config.namespace()).withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private void all(Iterable<ProbeCheck> checks, Map<ProbeCheck, CheckResult> results, String message) {
        for (ProbeCheck check : checks) {
            results.put(check, CheckResult.inconclusive(check, message, clock.instant()));
        }
    }

    private static String reason(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message.toLowerCase(Locale.ROOT).replace('\n', ' ');
    }
}
