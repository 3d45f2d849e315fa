package dev.isolation.operator.probe;

import dev.isolation.operator.api.ProbeContract;
import dev.isolation.operator.render.ManagedLabels;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The objects of a run, as the contract describes them: bare pods (restricted PSS, limits,
 * activeDeadlineSeconds, no service account token) and NetworkPolicies, all labelled with the run id.
 */
public final class ProbeObjects {

    /** agnhost runs fine as any non-root user; the restricted standard requires one. */
    static final long PROBE_UID = 65532;
    static final String CONNECT_TIMEOUT = "3s";

    private final String namespace;
    private final String image;
    private final String runId;
    private final long deadlineSeconds;

    public ProbeObjects(String namespace, String image, String runId, long deadlineSeconds) {
        this.namespace = namespace;
        this.image = image;
        this.runId = runId;
        this.deadlineSeconds = Math.max(1, deadlineSeconds);
    }

    public Map<String, String> runLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
        labels.put(ProbeContract.RUN_LABEL, runId);
        return labels;
    }

    public Pod server(ServerKind kind, String node) {
        Map<String, String> labels = runLabels();
        labels.put(ProbeContract.ROLE_LABEL, ProbeContract.ROLE_SERVER);
        List<String> command = new ArrayList<>(List.of("/agnhost", "netexec"));
        command.addAll(kind.netexecArgs());
        return new PodBuilder().withMetadata(meta("probe-" + runId + "-" + kind.podSuffix(), labels, Map.of()))
                .withSpec(podSpec(node)
                        // A server lives for the whole run: several checks, each with its settle time.
                        .withActiveDeadlineSeconds(deadlineSeconds * 20)
                        .withContainers(new ContainerBuilder().withName("netexec").withImage(image).withArgs(command.subList(1, command.size()))
                                .withCommand(command.get(0))
                                .withPorts(kind.ports().stream().map(p -> new ContainerPortBuilder().withName(p.name())
                                        .withContainerPort(p.port()).withProtocol(p.protocol()).build()).toList())
                                .withNewReadinessProbe().withNewHttpGet().withPath("/healthz")
                                .withPort(new IntOrString(ProbeSteps.HTTP_PORT)).endHttpGet().withPeriodSeconds(2).endReadinessProbe()
                                .withSecurityContext(containerSecurity()).withResources(resources()).build())
                        .build())
                .build();
    }

    /** The client of one step: one container that makes one connection and exits 0 when it connected. */
    public Pod client(ProbeStep step, String serverIp, String node) {
        Map<String, String> labels = runLabels();
        labels.put(ProbeContract.ROLE_LABEL, ProbeContract.ROLE_CLIENT);
        labels.put(ProbeContract.CHECK_LABEL, step.check().checkName());
        labels.putAll(step.clientLabels());
        String hostPort = hostPort(serverIp, step.port());
        return new PodBuilder().withMetadata(meta("probe-" + runId + "-" + step.name(), labels,
                        Map.of(ProbeContract.TARGET_ANNOTATION, target(serverIp, step.port(), step.protocol()))))
                .withSpec(podSpec(node).withActiveDeadlineSeconds(deadlineSeconds)
                        .withContainers(new ContainerBuilder().withName("connect").withImage(image)
                                .withCommand("/agnhost")
                                .withArgs("connect", hostPort, "--timeout=" + CONNECT_TIMEOUT,
                                        "--protocol=" + step.protocol().toLowerCase(Locale.ROOT))
                                .withSecurityContext(containerSecurity()).withResources(resources()).build())
                        .build())
                .build();
    }

    public NetworkPolicy policy(ProbeStep step, int index, NetworkPolicySpec spec) {
        return new NetworkPolicyBuilder().withMetadata(meta("probe-" + runId + "-" + step.name() + "-" + index,
                runLabels(), Map.of())).withSpec(spec).build();
    }

    /** The value of the isolation.dev/probe-target annotation. */
    public static String target(String ip, int port, String protocol) {
        return hostPort(ip, port) + "/" + protocol;
    }

    static String hostPort(String ip, int port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    private ObjectMeta meta(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations).build();
    }

    private static PodSpecBuilder podSpec(String node) {
        PodSpecBuilder spec = new PodSpecBuilder().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(1L)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(PROBE_UID).withRunAsGroup(PROBE_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext();
        if (node != null) {
            spec.withNodeSelector(Map.of("kubernetes.io/hostname", node));
        }
        return spec;
    }

    private static io.fabric8.kubernetes.api.model.SecurityContext containerSecurity() {
        return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
                .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    private static io.fabric8.kubernetes.api.model.ResourceRequirements resources() {
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
                .withLimits(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi"))).build();
    }
}
