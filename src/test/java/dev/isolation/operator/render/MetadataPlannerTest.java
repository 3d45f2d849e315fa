package dev.isolation.operator.render;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.isolation.operator.render.MetadataCandidate.Role.ACTIVE;
import static dev.isolation.operator.render.MetadataCandidate.Role.DELETING;
import static dev.isolation.operator.render.MetadataCandidate.Role.FROZEN;
import static org.assertj.core.api.Assertions.assertThat;

class MetadataPlannerTest {

    private static final Predicate<Map<String, String>> ALWAYS = l -> true;

    private static MetadataCandidate candidate(String name, String created, MetadataCandidate.Role role,
                                               Predicate<Map<String, String>> selects, Map<String, String> labels) {
        return new MetadataCandidate(name, created, role, selects, labels, Map.of());
    }

    private static Map<String, String> owned(String json) {
        return Map.of(OwnedKeys.ANNOTATION, json);
    }

    @Test
    void setsWantedKeysAndRecordsOwnership() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("user", "x"), Map.of(),
                List.of(new MetadataCandidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1"), Map.of("n", "v"))));
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("user", "x", "a", "1"));
        assertThat(plan.annotations()).containsEntry("n", "v")
                .containsEntry(OwnedKeys.ANNOTATION, "{\"p\":{\"annotations\":[\"n\"],\"labels\":[\"a\"]}}");
        assertThat(plan.selectedBy()).containsExactly("p");
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void removesOnlyKeysItOwnsWhenTheyLeaveTheProfile() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("a", "1", "b", "2", "user", "x"),
                owned("{\"p\":{\"labels\":[\"a\",\"b\"]}}"),
                List.of(candidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1"))));
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "user", "x"));
        assertThat(plan.annotations().get(OwnedKeys.ANNOTATION)).isEqualTo("{\"p\":{\"labels\":[\"a\"]}}");
    }

    @Test
    void aKeyTheUserAlreadyHadWithTheSameValueStaysTheUsers() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("a", "1"), Map.of(),
                List.of(candidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1"))));
        assertThat(plan.labels()).containsEntry("a", "1");
        assertThat(plan.annotations()).doesNotContainKey(OwnedKeys.ANNOTATION);
        assertThat(plan.changes(Map.of("a", "1"), Map.of())).isFalse();
    }

    @Test
    void deselectedAndDeletingAndVanishedProfilesLoseTheirKeys() {
        Map<String, String> live = Map.of("a", "1", "b", "2", "c", "3", "user", "x");
        Map<String, String> annotations = owned("{\"gone\":{\"labels\":[\"c\"]},\"off\":{\"labels\":[\"a\"]},\"bye\":{\"labels\":[\"b\"]}}");
        MetadataPlan plan = MetadataPlanner.plan("ns", live, annotations, List.of(
                candidate("off", "t1", ACTIVE, l -> false, Map.of("a", "1")),
                candidate("bye", "t2", DELETING, ALWAYS, Map.of("b", "2"))));
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("user", "x"));
        assertThat(plan.annotations()).doesNotContainKey(OwnedKeys.ANNOTATION);
        assertThat(plan.selectedBy()).isEmpty();
    }

    @Test
    void frozenProfilesKeepTheirKeysAndBlockOthers() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("tier", "gold"), owned("{\"frozen\":{\"labels\":[\"tier\"]}}"),
                List.of(candidate("frozen", "t2", FROZEN, ALWAYS, Map.of()),
                        candidate("active", "t1", ACTIVE, ALWAYS, Map.of("tier", "silver"))));
        assertThat(plan.labels()).containsEntry("tier", "gold");
        assertThat(plan.annotations().get(OwnedKeys.ANNOTATION)).isEqualTo("{\"frozen\":{\"labels\":[\"tier\"]}}");
        assertThat(plan.conflicts().get("active")).singleElement().asString().contains("tier").contains("frozen");
        assertThat(plan.frozenSelectedBy()).containsExactly("frozen");
    }

    @Test
    void olderProfileWinsAConflictRegardlessOfListOrder() {
        for (List<String> order : List.of(List.of("young", "old"), List.of("old", "young"))) {
            List<MetadataCandidate> candidates = order.stream().map(n -> candidate(n, n.equals("old") ? "2026-01-01T00:00:00Z"
                    : "2026-06-01T00:00:00Z", ACTIVE, ALWAYS, Map.of("tier", n))).toList();
            MetadataPlan plan = MetadataPlanner.plan("ns", Map.of(), Map.of(), candidates);
            assertThat(plan.labels()).containsEntry("tier", "old");
            assertThat(plan.conflicts()).containsOnlyKeys("young");
            assertThat(plan.conflicts().get("young").get(0)).contains("namespace ns").contains("tier").contains("old");
        }
    }

    @Test
    void sameValueFromTwoProfilesIsNoConflict() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of(), Map.of(), List.of(
                candidate("a", "t1", ACTIVE, ALWAYS, Map.of("k", "v")),
                candidate("b", "t2", ACTIVE, ALWAYS, Map.of("k", "v"))));
        assertThat(plan.conflicts()).isEmpty();
        assertThat(plan.labels()).containsEntry("k", "v");
    }

    @Test
    void chainedSelectionConvergesInOnePlan() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("start", "y"), Map.of(), List.of(
                candidate("first", "t1", ACTIVE, l -> "y".equals(l.get("start")), Map.of("step", "1")),
                candidate("second", "t2", ACTIVE, l -> "1".equals(l.get("step")), Map.of("step2", "2")),
                candidate("third", "t3", ACTIVE, l -> "2".equals(l.get("step2")), Map.of("done", "yes"))));
        assertThat(plan.selectedBy()).containsExactlyInAnyOrder("first", "second", "third");
        assertThat(plan.labels()).containsEntry("done", "yes");
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void aSelectionCycleFallsBackToTheNamespacesOwnLabelsAndIsReported() {
        // "a" selects namespaces without x=1 and sets y=1; "b" selects y=1 and sets x=1: no fixed point.
        List<MetadataCandidate> candidates = List.of(
                candidate("a", "t1", ACTIVE, l -> !"1".equals(l.get("x")), Map.of("y", "1")),
                candidate("b", "t2", ACTIVE, l -> "1".equals(l.get("y")), Map.of("x", "1")));
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of(), Map.of(), candidates);
        assertThat(plan.selectedBy()).containsExactly("a");
        assertThat(plan.conflicts()).containsKeys("a", "b");
        assertThat(plan.conflicts().get("a").get(0)).contains("cycle");
        // Planning again from the written result gives the same answer: it does not oscillate.
        MetadataPlan again = MetadataPlanner.plan("ns", plan.labels(), plan.annotations(), candidates);
        assertThat(again.labels()).isEqualTo(plan.labels());
        assertThat(again.annotations()).isEqualTo(plan.annotations());
    }

    @Test
    void aMangledBookkeepingAnnotationOwnsNothing() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("a", "1"), owned("not json"),
                List.of(candidate("p", "t1", ACTIVE, l -> false, Map.of("a", "1"))));
        assertThat(plan.labels()).containsEntry("a", "1");
    }

    @Test
    void ownershipRoundTrips() {
        OwnedKeys keys = OwnedKeys.empty();
        keys.addLabel("p", "b");
        keys.addLabel("p", "a");
        keys.addAnnotation("q", "n");
        OwnedKeys parsed = OwnedKeys.parse(Map.of(OwnedKeys.ANNOTATION, keys.serialize()));
        assertThat(parsed).isEqualTo(keys);
        assertThat(keys.serialize()).isEqualTo("{\"p\":{\"labels\":[\"a\",\"b\"]},\"q\":{\"annotations\":[\"n\"]}}");
        assertThat(OwnedKeys.empty().serialize()).isNull();
    }
}
