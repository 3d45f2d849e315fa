package dev.isolation.operator.realapi;

import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.editProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The correctness half of goal 6 of issue 12: fifty profiles with overlapping selectors over a
 * few hundred namespaces converge (each namespace has exactly the policies and labels of the
 * profiles selecting it, every status is Ready with the right counts), and editing one profile's
 * spec writes only that profile's objects. A profile edit re-plans every namespace in memory;
 * the audit log shows that only the edited profile's policies, its namespaces (where its own keys
 * changed) and its status are written, and the namespaces' other keys and other profiles'
 * bookkeeping entries are untouched.
 */
class ManyProfilesOnRealApiIT extends FleetOnRealApi {

    private static final int NAMESPACES = Integer.getInteger("realapi.many-profiles.namespaces", 300);
    /** Each namespace is selected by one profile per dimension: 5 + 7 + 11 + 13 + 14 = 50 profiles. */
    private static final Map<String, Integer> DIMENSIONS = new LinkedHashMap<>(Map.of("a", 5, "b", 7, "c", 11, "d", 13, "e", 14));
    private static final String AGENT = "isolation-operator-many-profiles";
    private static final Duration ROLLOUT = Duration.ofMinutes(5);
    /** Longer than the operator's status write interval (5 s in tests): a needless status write would show. */
    private static final Duration QUIET = Duration.ofSeconds(7);

    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> NAMES = IntStream.range(0, NAMESPACES).mapToObj(i -> "mp-" + ID + "-" + i).toList();

    private static final Map<String, Set<String>> selection = new LinkedHashMap<>();

    @BeforeAll
    static void select() {
        DIMENSIONS.forEach((dimension, values) -> IntStream.range(0, values).forEach(v -> selection.put(profileName(dimension, v),
                IntStream.range(0, NAMESPACES).filter(i -> i % values == v).mapToObj(NAMES::get)
                        .collect(Collectors.toCollection(HashSet::new)))));
    }

    private static String profileName(String dimension, int value) {
        return "mp-" + ID + "-" + dimension + value;
    }

    private static String labelKey(String profile) {
        return "isolation-test/" + profile.substring(profile.lastIndexOf('-') + 1);
    }

    private static Map<String, String> namespaceLabels(String name) {
        int i = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        Map<String, String> labels = new HashMap<>(Map.of("many-profiles-suite", ID));
        DIMENSIONS.forEach((dimension, values) -> labels.put("dim-" + dimension, dimension + (i % values)));
        return labels;
    }

    @Test
    void fiftyOverlappingProfilesConvergeAndAnEditWritesOnlyThatProfilesObjects() {
        createNamespaces(NAMES, ManyProfilesOnRealApiIT::namespaceLabels);
        DIMENSIONS.forEach((dimension, values) -> IntStream.range(0, values).forEach(v -> {
            IsolationProfile p = profile(profileName(dimension, v), Map.of("many-profiles-suite", ID, "dim-" + dimension, dimension + v));
            Allow allow = new Allow();
            allow.setSameNamespace(false);
            p.getSpec().setAllow(allow);
            p.getSpec().setNamespaceLabels(Map.of(labelKey(p.getMetadata().getName()), "v1"));
            createProfile(p);
        }));
        AuditLog audit = server.auditLog();
        Instant started = Instant.now();
        try (RealApiOperator operator = RealApiOperator.start(ShippedInstall.operatorClient(server, admin, AGENT), Optional.empty())) {
            await().atMost(ROLLOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    selection.forEach((profile, namespaces) -> assertConverged(profile, namespaces.size(), 1)));
            Duration converged = Duration.between(started, Instant.now());
            Map<String, NetworkPolicy> policies = policies();
            Map<String, Namespace> namespaces = namespaces();
            for (String ns : NAMES) {
                Set<String> selecting = selection.keySet().stream().filter(p -> selection.get(p).contains(ns)).collect(Collectors.toSet());
                assertThat(selecting).hasSize(DIMENSIONS.size());
                assertThat(policies.keySet().stream().filter(k -> k.startsWith(ns + "/")))
                        .containsExactlyInAnyOrderElementsOf(selecting.stream().map(p -> ns + "/" + p + "-default-deny").toList());
                Map<String, String> labels = namespaces.get(ns).getMetadata().getLabels();
                selecting.forEach(p -> assertThat(labels).containsEntry(labelKey(p), "v1"));
                assertThat(labels.keySet().stream().filter(k -> k.startsWith("isolation-test/"))).hasSize(selecting.size());
                assertThat(OwnedKeys.parse(namespaces.get(ns).getMetadata().getAnnotations()).profiles())
                        .containsExactlyInAnyOrderElementsOf(selecting);
            }
            Map<String, IsolationProfile> profiles = profiles();

            // One profile's spec changes: a policy more and a new value for its label.
            String edited = profileName("c", 3);
            Set<String> itsNamespaces = selection.get(edited);
            long mark = audit.mark();
            Instant edit = Instant.now();
            editProfile(admin, edited, p -> {
                p.getSpec().getAllow().setSameNamespace(true);
                p.getSpec().setNamespaceLabels(Map.of(labelKey(edited), "v2"));
                return p;
            });
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertConverged(edited, itsNamespaces.size(), 2);
                assertThat(namespaces().values()).filteredOn(n -> itsNamespaces.contains(n.getMetadata().getName()))
                        .allSatisfy(n -> assertThat(n.getMetadata().getLabels()).containsEntry(labelKey(edited), "v2"));
            });
            Duration editConverged = Duration.between(edit, Instant.now());
            // Any write beyond the edited profile's objects, also one that comes late (a status
            // rewritten at the next status write interval), shows up in the audit log.
            await().during(QUIET).atMost(QUIET.multipliedBy(3)).untilAsserted(() -> assertThat(audit.since(mark))
                    .filteredOn(e -> AGENT.equals(e.userAgent()) && e.mutating())
                    .allSatisfy(e -> assertThat(ownedBy(e, edited, itsNamespaces)).as("written: %s %s", e.verb(), e.object()).isTrue()));

            List<AuditLog.Event> writes = audit.since(mark).stream().filter(e -> AGENT.equals(e.userAgent()) && e.mutating()).toList();
            assertThat(writes).filteredOn(e -> e.resource().equals("namespaces")).extracting(AuditLog.Event::name)
                    .as("each of its namespaces patched once").containsExactlyInAnyOrderElementsOf(itsNamespaces);
            assertThat(writes).filteredOn(e -> e.resource().equals("networkpolicies"))
                    .allSatisfy(e -> assertThat(e.verb()).isEqualTo("create")).hasSize(itsNamespaces.size());

            Map<String, NetworkPolicy> policiesAfter = policies();
            policies.forEach((key, np) -> assertThat(policiesAfter.get(key).getMetadata().getResourceVersion())
                    .as("%s untouched", key).isEqualTo(np.getMetadata().getResourceVersion()));
            assertThat(policiesAfter).hasSize(policies.size() + itsNamespaces.size());
            Map<String, Namespace> namespacesAfter = namespaces();
            for (String ns : NAMES) {
                Map<String, String> before = new HashMap<>(namespaces.get(ns).getMetadata().getLabels());
                Map<String, String> after = new HashMap<>(namespacesAfter.get(ns).getMetadata().getLabels());
                if (itsNamespaces.contains(ns)) {
                    assertThat(after.remove(labelKey(edited))).isEqualTo("v2");
                    before.remove(labelKey(edited));
                }
                assertThat(after).as("labels of %s", ns).isEqualTo(before);
                Map<String, String> annotationsBefore = namespaces.get(ns).getMetadata().getAnnotations();
                Map<String, String> annotationsAfter = namespacesAfter.get(ns).getMetadata().getAnnotations();
                assertThat(without(annotationsAfter, OwnedKeys.ANNOTATION)).isEqualTo(without(annotationsBefore, OwnedKeys.ANNOTATION));
                OwnedKeys ownedBefore = OwnedKeys.parse(annotationsBefore);
                OwnedKeys ownedAfter = OwnedKeys.parse(annotationsAfter);
                assertThat(ownedAfter.profiles()).isEqualTo(ownedBefore.profiles());
                for (String p : ownedBefore.profiles()) {
                    for (OwnedKeys.Kind kind : OwnedKeys.Kind.values()) {
                        if (p.equals(edited) && kind == OwnedKeys.Kind.LABELS) {
                            assertThat(ownedAfter.entries(p, kind).get(labelKey(edited)).value()).isEqualTo("v2");
                        } else {
                            assertThat(ownedAfter.entries(p, kind)).as("%s's %s entries in %s", p, kind, ns)
                                    .isEqualTo(ownedBefore.entries(p, kind));
                        }
                    }
                }
            }
            Map<String, IsolationProfile> profilesAfter = profiles();
            profiles.forEach((name, p) -> {
                if (!name.equals(edited)) {
                    assertThat(profilesAfter.get(name).getMetadata().getResourceVersion()).as("%s (status included) untouched", name)
                            .isEqualTo(p.getMetadata().getResourceVersion());
                }
            });
            System.out.printf("many profiles: %d profiles over %d namespaces (%d policies) converged in %s; editing one"
                            + " profile (%d namespaces) converged in %s with %d writes, all its own%n",
                    selection.size(), NAMESPACES, policies.size(), converged, itsNamespaces.size(), editConverged, writes.size());
        }
    }

    private static void assertConverged(String profile, int namespaces, int policiesEach) {
        IsolationProfile current = get(admin, profile);
        assertThat(conditionIs(admin, profile, "Ready", "True", "Reconciled")).as("%s Ready", profile).isTrue();
        IsolationProfileStatus status = current.getStatus();
        assertThat(status.getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
        assertThat(List.of(status.getNamespaces().getSelected(), status.getNamespaces().getReady(), status.getNamespaces().getFailed()))
                .as("%s namespaces", profile).containsExactly(namespaces, namespaces, 0);
        assertThat(List.of(status.getPolicies().getDesired(), status.getPolicies().getApplied()))
                .as("%s policies", profile).containsExactly(namespaces * policiesEach, namespaces * policiesEach);
    }

    /** Whether a write concerns only {@code profile}: its policies, its namespaces, itself, its Events. */
    private static boolean ownedBy(AuditLog.Event write, String profile, Set<String> itsNamespaces) {
        return switch (write.resource()) {
            case "networkpolicies" -> itsNamespaces.contains(write.namespace()) && write.name().startsWith(profile + "-");
            case "namespaces" -> itsNamespaces.contains(write.name());
            case "isolationprofiles" -> write.name().equals(profile);
            case "events" -> write.name().startsWith(profile + ".");
            default -> false;
        };
    }

    private static Map<String, String> without(Map<String, String> map, String key) {
        Map<String, String> copy = new HashMap<>(map == null ? Map.of() : map);
        copy.remove(key);
        return copy;
    }

    private static Map<String, NetworkPolicy> policies() {
        return byKey(admin.network().v1().networkPolicies().inAnyNamespace().withLabel(ManagedLabels.MANAGED_BY,
                ManagedLabels.MANAGED_BY_VALUE).list().getItems().stream()
                .filter(np -> np.getMetadata().getNamespace().startsWith("mp-" + ID + "-")).toList(),
                np -> np.getMetadata().getNamespace() + "/" + np.getMetadata().getName());
    }

    private static Map<String, Namespace> namespaces() {
        return byKey(admin.namespaces().withLabel("many-profiles-suite", ID).list().getItems(), n -> n.getMetadata().getName());
    }

    private static Map<String, IsolationProfile> profiles() {
        return byKey(admin.resources(IsolationProfile.class).list().getItems().stream()
                .filter(p -> selection.containsKey(p.getMetadata().getName())).toList(), p -> p.getMetadata().getName());
    }

    private static <T extends HasMetadata> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, Function.identity(), (x, y) -> x));
    }
}
