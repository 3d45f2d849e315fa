package dev.isolation.operator.probe.sim;

import dev.isolation.operator.api.ProbeContract;
import dev.isolation.operator.netpol.Workload;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubelet and dataplane the mock API server lacks, for probe pods only: assigns pod IPs,
 * marks servers Running and Ready, and terminates each client with exit code 0 or 1 according to
 * the NetworkPolicies in its namespace at that moment, as a CNI of the current {@link CniMode}
 * would treat them. Writes pod status through the status subresource, as a kubelet does.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private static final Pattern TARGET = Pattern.compile("^\\[?([^\\]]+?)]?:(\\d+)/(TCP|UDP|SCTP)$");

    private final KubernetesClient client;
    private final String namespace;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final AtomicInteger nextIp = new AtomicInteger(10);
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Set<String> runsSeen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxConcurrentRuns = new AtomicInteger();
    private final List<String> clientLog = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CniMode mode = CniMode.ENFORCING;
    private SharedIndexInformer<Pod> informer;

    public SimulatedKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public SimulatedKubelet start() {
        informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                worker.execute(() -> handle(pod));
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });
        return this;
    }

    public void mode(CniMode mode) {
        this.mode = mode;
    }

    /** Distinct run ids whose pods were seen. */
    public Set<String> runsSeen() {
        return Set.copyOf(runsSeen);
    }

    /** The largest number of different runs that had pods at the same time. */
    public int maxConcurrentRuns() {
        return maxConcurrentRuns.get();
    }

    /** One line per client handled: check label, target, policies present, exit code. */
    public List<String> clientLog() {
        return List.copyOf(clientLog);
    }

    private void handle(Pod pod) {
        String key = pod.getMetadata().getName() + "/" + pod.getMetadata().getUid();
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        String run = labels.get(ProbeContract.RUN_LABEL);
        if (run == null || !handled.add(key)) {
            return;
        }
        runsSeen.add(run);
        try {
            Set<String> live = new TreeSet<>();
            client.pods().inNamespace(namespace).list().getItems().forEach(p -> {
                String r = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(ProbeContract.RUN_LABEL);
                if (r != null) {
                    live.add(r);
                }
            });
            maxConcurrentRuns.accumulateAndGet(live.size(), Math::max);
            PodStatus status = statusFor(pod, labels);
            Pod update = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
            if (update == null) {
                return;
            }
            update.setStatus(status);
            client.pods().inNamespace(namespace).resource(update).updateStatus();
        } catch (KubernetesClientException e) {
            // The run deleted the pod meanwhile: nothing to report.
        }
    }

    private PodStatus statusFor(Pod pod, Map<String, String> labels) {
        CniMode current = mode;
        if (current == CniMode.IMAGE_PULL_FAILURE) {
            return new PodStatusBuilder().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
                    .withName("c").withReady(false).withState(new ContainerStateBuilder().withNewWaiting()
                            .withReason("ErrImagePull").withMessage("pull access denied for " + image(pod)).endWaiting().build())
                    .build()).build();
        }
        String ip = "10.244.1." + nextIp.getAndIncrement();
        if (ProbeContract.ROLE_SERVER.equals(labels.get(ProbeContract.ROLE_LABEL))) {
            return new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName("netexec").withReady(true)
                            .withState(new ContainerStateBuilder().withNewRunning().endRunning().build()).build())
                    .build();
        }
        if (current == CniMode.NEVER_TERMINATE) {
            return new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                    .withContainerStatuses(new ContainerStatusBuilder().withName("connect").withReady(true)
                            .withState(new ContainerStateBuilder().withNewRunning().endRunning().build()).build())
                    .build();
        }
        int exit = connects(pod, ip, current) ? 0 : 1;
        return new PodStatusBuilder().withPhase(exit == 0 ? "Succeeded" : "Failed").withPodIP(ip)
                .withContainerStatuses(new ContainerStatusBuilder().withName("connect").withReady(false)
                        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exit)
                                .withReason(exit == 0 ? "Completed" : "Error").endTerminated().build()).build())
                .build();
    }

    private boolean connects(Pod clientPod, String clientIp, CniMode current) {
        String target = clientPod.getMetadata().getAnnotations() == null ? null
                : clientPod.getMetadata().getAnnotations().get(ProbeContract.TARGET_ANNOTATION);
        Matcher m = target == null ? null : TARGET.matcher(target);
        if (m == null || !m.matches()) {
            return false;
        }
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        Pod server = pods.stream().filter(p -> p.getStatus() != null && m.group(1).equals(p.getStatus().getPodIP()))
                .findFirst().orElse(null);
        if (server == null) {
            return false;
        }
        List<NetworkPolicy> policies = client.network().v1().networkPolicies().inNamespace(namespace).list().getItems();
        Map<String, Map<String, String>> namespaces = new HashMap<>();
        for (Namespace ns : client.namespaces().list().getItems()) {
            namespaces.put(ns.getMetadata().getName(), ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels());
        }
        Workload source = Workload.of(clientPod);
        source = new Workload(source.namespace(), source.name(), source.labels(), clientIp, source.ports());
        boolean ok = SimulatedDataplane.connects(current, namespaces, policies, source, Workload.of(server),
                Integer.parseInt(m.group(2)), m.group(3));
        clientLog.add(clientPod.getMetadata().getLabels().get(ProbeContract.CHECK_LABEL) + " " + target + " policies="
                + policies.stream().map(p -> p.getMetadata().getName()).sorted().toList() + " exit=" + (ok ? 0 : 1));
        return ok;
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        worker.shutdownNow();
    }
}
