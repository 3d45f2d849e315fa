package dev.isolation.operator.render;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.isolation.operator.render.MetadataCandidate.Role.ACTIVE;
import static dev.isolation.operator.render.MetadataCandidate.Role.DELETING;
import static dev.isolation.operator.render.MetadataCandidate.Role.FROZEN;
import static org.assertj.core.api.Assertions.assertThat;

class MetadataPlannerTest {

    private static final Predicate<Map<String, String>> ALWAYS = l -> true;
    private static final String PSS = "pod-security.kubernetes.io/enforce";

    private static MetadataCandidate candidate(String name, String created, MetadataCandidate.Role role,
                                               Predicate<Map<String, String>> selects, Map<String, String> labels) {
        return new MetadataCandidate(name, created, role, selects, labels, Map.of());
    }

    private static Map<String, String> owned(String json) {
        return Map.of(OwnedKeys.ANNOTATION, json);
    }

    /** Plans with a complete profile list, as the operator does once its profile cache synced. */
    private static MetadataPlan plan(Map<String, String> labels, Map<String, String> annotations,
                                     MetadataCandidate... candidates) {
        return MetadataPlanner.plan("ns", labels, annotations, List.of(candidates), true);
    }

    /** Plans again from what the previous plan wrote: the next reconcile's view. */
    private static MetadataPlan replan(MetadataPlan previous, MetadataCandidate... candidates) {
        return plan(previous.labels(), previous.annotations(), candidates);
    }

    @Test
    void setsWantedKeysAndRecordsTheValuesItSet() {
        MetadataPlan plan = MetadataPlanner.plan("ns", Map.of("user", "x"), Map.of(),
                List.of(new MetadataCandidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1"), Map.of("n", "v"))), true);
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("user", "x", "a", "1"));
        assertThat(plan.annotations()).containsEntry("n", "v").containsEntry(OwnedKeys.ANNOTATION,
                "{\"p\":{\"annotations\":{\"n\":{\"value\":\"v\"}},\"labels\":{\"a\":{\"value\":\"1\"}}}}");
        assertThat(plan.selectedBy()).containsExactly("p");
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void removesOnlyKeysItOwnsWhenTheyLeaveTheProfile() {
        MetadataPlan plan = plan(Map.of("a", "1", "b", "2", "user", "x"),
                owned("{\"p\":{\"labels\":{\"a\":{\"value\":\"1\"},\"b\":{\"value\":\"2\"}}}}"),
                candidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1")));
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "user", "x"));
        assertThat(plan.annotations().get(OwnedKeys.ANNOTATION)).isEqualTo("{\"p\":{\"labels\":{\"a\":{\"value\":\"1\"}}}}");
    }

    @Test
    void aKeyTheUserAlreadyHadWithTheSameValueStaysTheUsers() {
        MetadataPlan plan = plan(Map.of("a", "1"), Map.of(), candidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1")));
        assertThat(plan.labels()).containsEntry("a", "1");
        assertThat(plan.annotations()).doesNotContainKey(OwnedKeys.ANNOTATION);
        assertThat(plan.changes(Map.of("a", "1"), Map.of())).isFalse();
        MetadataPlan deleted = replan(plan, candidate("p", "t1", DELETING, ALWAYS, Map.of()));
        assertThat(deleted.labels()).containsEntry("a", "1");
    }

    @Test
    void deselectedAndDeletingProfilesReleaseTheirKeys() {
        Map<String, String> live = Map.of("a", "1", "b", "2", "user", "x");
        Map<String, String> annotations = owned("{\"off\":{\"labels\":{\"a\":{\"value\":\"1\"}}},"
                + "\"bye\":{\"labels\":{\"b\":{\"value\":\"2\"}}}}");
        MetadataPlan plan = plan(live, annotations,
                candidate("off", "t1", ACTIVE, l -> false, Map.of("a", "1")),
                candidate("bye", "t2", DELETING, ALWAYS, Map.of("b", "2")));
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("user", "x"));
        assertThat(plan.annotations()).doesNotContainKey(OwnedKeys.ANNOTATION);
        assertThat(plan.selectedBy()).isEmpty();
    }

    @Test
    void aRecordOfAProfileThatDoesNotExistIsDroppedWithoutTouchingItsKey() {
        Map<String, String> live = Map.of(PSS, "privileged", "user", "x");
        for (String ghost : List.of("{\"ghost\":{\"labels\":[\"" + PSS + "\"]}}",
                "{\"ghost\":{\"labels\":{\"" + PSS + "\":{\"value\":\"privileged\"}}}}")) {
            MetadataPlan plan = plan(live, owned(ghost), candidate("p", "t1", ACTIVE, l -> false, Map.of()));
            assertThat(plan.labels()).as(ghost).isEqualTo(live);
            assertThat(plan.annotations()).as(ghost).doesNotContainKey(OwnedKeys.ANNOTATION);
            assertThat(plan.conflicts()).isEmpty();
        }
    }

    @Test
    void withoutACompleteProfileListNoRecordIsJudgedAGhost() {
        Map<String, String> live = Map.of(PSS, "restricted");
        String record = "{\"unseen\":{\"labels\":{\"" + PSS + "\":{\"value\":\"restricted\"}}}}";
        MetadataPlan plan = MetadataPlanner.plan("ns", live, owned(record), List.of(), false);
        assertThat(plan.labels()).isEqualTo(live);
        assertThat(plan.annotations()).containsEntry(OwnedKeys.ANNOTATION, record);
        assertThat(plan.changes(live, owned(record))).isFalse();
    }

    @Test
    void aKeyTheUserChangedAfterTheProfileSetItKeepsTheUsersValue() {
        Map<String, String> annotations = owned("{\"p\":{\"labels\":{\"a\":{\"prior\":\"orig\",\"value\":\"1\"}}}}");
        MetadataPlan deselected = plan(Map.of("a", "changed"), annotations,
                candidate("p", "t1", ACTIVE, l -> false, Map.of("a", "1")));
        assertThat(deselected.labels()).containsExactly(Map.entry("a", "changed"));
        assertThat(deselected.annotations()).doesNotContainKey(OwnedKeys.ANNOTATION);

        MetadataPlan deleted = plan(Map.of("a", "changed"), annotations, candidate("p", "t1", DELETING, ALWAYS, Map.of()));
        assertThat(deleted.labels()).containsExactly(Map.entry("a", "changed"));

        // Still selected: the profile sets its value again, and the user's latest value is what comes back later.
        MetadataPlan enforced = plan(Map.of("a", "changed"), annotations, candidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1")));
        assertThat(enforced.labels()).containsExactly(Map.entry("a", "1"));
        assertThat(enforced.annotations().get(OwnedKeys.ANNOTATION))
                .isEqualTo("{\"p\":{\"labels\":{\"a\":{\"prior\":\"changed\",\"value\":\"1\"}}}}");
    }

    @Test
    void theUsersValueComesBackWhenTheProfileReleasesTheKey() {
        MetadataCandidate active = new MetadataCandidate("p", "t1", ACTIVE, ALWAYS, Map.of("project", "myproject"),
                Map.of("owner", "team-a"));
        MetadataPlan set = plan(Map.of("project", "userval"), Map.of("owner", "me"), active);
        assertThat(set.labels()).containsExactly(Map.entry("project", "myproject"));
        assertThat(set.annotations()).containsEntry("owner", "team-a").containsEntry(OwnedKeys.ANNOTATION,
                "{\"p\":{\"annotations\":{\"owner\":{\"prior\":\"me\",\"value\":\"team-a\"}},"
                        + "\"labels\":{\"project\":{\"prior\":\"userval\",\"value\":\"myproject\"}}}}");
        assertThat(replan(set, active).changes(set.labels(), set.annotations())).as("stable").isFalse();

        MetadataPlan released = replan(set, candidate("p", "t1", DELETING, ALWAYS, Map.of()));
        assertThat(released.labels()).containsExactly(Map.entry("project", "userval"));
        assertThat(released.annotations()).containsExactly(Map.entry("owner", "me"));
    }

    @Test
    void twoProfilesAndAUserValueHandTheKeyOnAndBack() {
        MetadataCandidate older = candidate("older", "t1", ACTIVE, ALWAYS, Map.of("tier", "gold"));
        MetadataCandidate newer = candidate("newer", "t2", ACTIVE, ALWAYS, Map.of("tier", "silver"));
        MetadataPlan both = plan(Map.of("tier", "user"), Map.of(), older, newer);
        assertThat(both.labels()).containsEntry("tier", "gold");
        assertThat(both.conflicts()).containsOnlyKeys("newer");

        MetadataPlan olderGone = replan(both, candidate("older", "t1", DELETING, ALWAYS, Map.of()), newer);
        assertThat(olderGone.labels()).containsEntry("tier", "silver");
        assertThat(olderGone.conflicts()).isEmpty();
        assertThat(olderGone.annotations().get(OwnedKeys.ANNOTATION))
                .isEqualTo("{\"newer\":{\"labels\":{\"tier\":{\"prior\":\"user\",\"value\":\"silver\"}}}}");

        MetadataPlan allGone = replan(olderGone, candidate("newer", "t2", DELETING, ALWAYS, Map.of()));
        assertThat(allGone.labels()).containsExactly(Map.entry("tier", "user"));
        assertThat(allGone.annotations()).isEmpty();
    }

    @Test
    void theOldKeyListFormatIsReadAndRewrittenInTheNewOne() {
        Map<String, String> annotations = new HashMap<>(owned("{\"p\":{\"annotations\":[\"n\"],\"labels\":[\"a\",\"b\"]}}"));
        annotations.put("n", "v");
        MetadataCandidate p = new MetadataCandidate("p", "t1", ACTIVE, ALWAYS, Map.of("a", "1"), Map.of("n", "v"));
        MetadataPlan plan = plan(Map.of("a", "1", "b", "2", "user", "x"), annotations, p);
        assertThat(plan.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "user", "x"));
        assertThat(plan.annotations().get(OwnedKeys.ANNOTATION))
                .isEqualTo("{\"p\":{\"annotations\":{\"n\":{\"value\":\"v\"}},\"labels\":{\"a\":{\"value\":\"1\"}}}}");
        assertThat(replan(plan, p).changes(plan.labels(), plan.annotations())).isFalse();
    }

    @Test
    void frozenProfilesKeepTheirKeysAndBlockOthers() {
        MetadataPlan plan = plan(Map.of("tier", "gold"), owned("{\"frozen\":{\"labels\":{\"tier\":{\"prior\":\"u\",\"value\":\"gold\"}}}}"),
                candidate("frozen", "t2", FROZEN, ALWAYS, Map.of()),
                candidate("active", "t1", ACTIVE, ALWAYS, Map.of("tier", "silver")));
        assertThat(plan.labels()).containsEntry("tier", "gold");
        assertThat(plan.annotations().get(OwnedKeys.ANNOTATION))
                .isEqualTo("{\"frozen\":{\"labels\":{\"tier\":{\"prior\":\"u\",\"value\":\"gold\"}}}}");
        assertThat(plan.conflicts().get("active")).singleElement().asString().contains("tier").contains("frozen");
        assertThat(plan.frozenSelectedBy()).containsExactly("frozen");
    }

    @Test
    void aFrozenProfilesOldFormatRecordIsCompletedWithTheLiveValue() {
        MetadataPlan plan = plan(Map.of("tier", "gold"), owned("{\"frozen\":{\"labels\":[\"tier\",\"gone\"]}}"),
                candidate("frozen", "t2", FROZEN, ALWAYS, Map.of()));
        assertThat(plan.annotations().get(OwnedKeys.ANNOTATION)).isEqualTo("{\"frozen\":{\"labels\":{\"tier\":{\"value\":\"gold\"}}}}");
    }

    @Test
    void olderProfileWinsAConflictRegardlessOfListOrder() {
        for (List<String> order : List.of(List.of("young", "old"), List.of("old", "young"))) {
            List<MetadataCandidate> candidates = order.stream().map(n -> candidate(n, n.equals("old") ? "2026-01-01T00:00:00Z"
                    : "2026-06-01T00:00:00Z", ACTIVE, ALWAYS, Map.of("tier", n))).toList();
            MetadataPlan plan = MetadataPlanner.plan("ns", Map.of(), Map.of(), candidates, true);
            assertThat(plan.labels()).containsEntry("tier", "old");
            assertThat(plan.conflicts()).containsOnlyKeys("young");
            assertThat(plan.conflicts().get("young").get(0)).contains("namespace ns").contains("tier").contains("old");
        }
    }

    @Test
    void sameValueFromTwoProfilesIsNoConflict() {
        MetadataPlan plan = plan(Map.of(), Map.of(),
                candidate("a", "t1", ACTIVE, ALWAYS, Map.of("k", "v")),
                candidate("b", "t2", ACTIVE, ALWAYS, Map.of("k", "v")));
        assertThat(plan.conflicts()).isEmpty();
        assertThat(plan.labels()).containsEntry("k", "v");
    }

    @Test
    void chainedSelectionConvergesInOnePlan() {
        MetadataPlan plan = plan(Map.of("start", "y"), Map.of(),
                candidate("first", "t1", ACTIVE, l -> "y".equals(l.get("start")), Map.of("step", "1")),
                candidate("second", "t2", ACTIVE, l -> "1".equals(l.get("step")), Map.of("step2", "2")),
                candidate("third", "t3", ACTIVE, l -> "2".equals(l.get("step2")), Map.of("done", "yes")));
        assertThat(plan.selectedBy()).containsExactlyInAnyOrder("first", "second", "third");
        assertThat(plan.labels()).containsEntry("done", "yes");
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void aSelectionCycleFallsBackToTheNamespacesOwnLabelsAndIsReported() {
        // "a" selects namespaces without x=1 and sets y=1; "b" selects y=1 and sets x=1: no fixed point.
        MetadataCandidate[] candidates = {
                candidate("a", "t1", ACTIVE, l -> !"1".equals(l.get("x")), Map.of("y", "1")),
                candidate("b", "t2", ACTIVE, l -> "1".equals(l.get("y")), Map.of("x", "1"))};
        MetadataPlan plan = plan(Map.of(), Map.of(), candidates);
        assertThat(plan.selectedBy()).containsExactly("a");
        assertThat(plan.conflicts()).containsKeys("a", "b");
        assertThat(plan.conflicts().get("a").get(0)).contains("cycle");
        // Planning again from the written result gives the same answer: it does not oscillate.
        MetadataPlan again = replan(plan, candidates);
        assertThat(again.labels()).isEqualTo(plan.labels());
        assertThat(again.annotations()).isEqualTo(plan.annotations());
    }

    @Test
    void malformedBookkeepingChangesNothingAndIsReportedToTheSelectingProfiles() {
        for (String malformed : List.of("null", "{\"p\":{\"labels\":[null]}}", "not json", "{\"p\":null}")) {
            Map<String, String> live = Map.of("a", "1", "user", "x");
            Map<String, String> annotations = Map.of(OwnedKeys.ANNOTATION, malformed, "note", "n");
            MetadataPlan plan = plan(live, annotations,
                    candidate("p", "t1", ACTIVE, ALWAYS, Map.of("b", "2")),
                    candidate("q", "t2", DELETING, ALWAYS, Map.of()),
                    candidate("other", "t3", ACTIVE, l -> false, Map.of()));
            assertThat(plan.changes(live, annotations)).as(malformed).isFalse();
            assertThat(plan.selectedBy()).as(malformed).containsExactly("p");
            assertThat(plan.conflicts()).as(malformed).containsOnlyKeys("p");
            assertThat(plan.conflicts().get("p")).singleElement().asString()
                    .contains("namespace ns").contains(OwnedKeys.ANNOTATION).contains("malformed");
        }
    }
}
