package dev.isolation.operator.dashboard;

import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.NamespaceCounts;
import dev.isolation.operator.cni.Capabilities;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.Support;
import dev.isolation.operator.reconcile.NamespaceOutcome;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardViewsTest {

    private static IsolationProfile profile(String name, int selected, int ready) {
        IsolationProfile p = new IsolationProfile();
        p.setMetadata(new ObjectMetaBuilder().withName(name).build());
        IsolationProfileStatus status = new IsolationProfileStatus();
        status.setNamespaces(new NamespaceCounts(selected, ready, selected - ready));
        status.getConditions().add(new ConditionBuilder().withType("Ready").withStatus("False")
                .withReason("ApplyFailed").withMessage("m").build());
        p.setStatus(status);
        return p;
    }

    private static NamespaceOutcome ok() {
        return new NamespaceOutcome("fp", 1, 1, true, null, null, List.of(), false);
    }

    private static NamespaceOutcome failed() {
        return new NamespaceOutcome("fp", 1, 0, false, ConditionReason.ApplyFailed, "HTTP 403", List.of(), false);
    }

    private static NamespaceOutcome converging() {
        return new NamespaceOutcome("fp", 1, 0, false, null, null, List.of(), false);
    }

    @Test
    void rowCarriesBadgesProgressAndDefaultsOfTheSpec() {
        ProfileRow row = DashboardViews.row(profile("p", 3, 1));
        assertThat(row.progress()).isEqualTo(33);
        assertThat(row.ready().status()).isEqualTo("False");
        assertThat(row.ready().reason()).isEqualTo("ApplyFailed");
        assertThat(row.ready().css()).isEqualTo("false");
        assertThat(row.enforced().status()).isEqualTo("None");
        assertThat(row.mode()).isEqualTo("Enforce");
        assertThat(row.verification()).isEqualTo("Detect");
    }

    @Test
    void aProfileWithoutStatusOrSelectionIsNotShownAsHalfDone() {
        IsolationProfile bare = new IsolationProfile();
        bare.setMetadata(new ObjectMetaBuilder().withName("new").build());
        ProfileRow row = DashboardViews.row(bare);
        assertThat(row.selected()).isZero();
        assertThat(row.progress()).isEqualTo(100);
        assertThat(row.ready().css()).isEqualTo("none");
    }

    @Test
    void namespacesNeedingAttentionComeFirstAndPagesAreBounded() {
        Map<String, NamespaceOutcome> outcomes = new TreeMap<>();
        outcomes.put("a-ok", ok());
        outcomes.put("b-converging", converging());
        outcomes.put("c-failed", failed());
        outcomes.put("d-ok", ok());
        ProfileDetail first = DashboardViews.detail(profile("p", 4, 2), outcomes, ns -> Map.of("n", ns), 0, 2);
        assertThat(first.namespaces()).extracting(NamespaceRow::name).containsExactly("c-failed", "b-converging");
        assertThat(first.namespaces().get(0).labels()).containsEntry("n", "c-failed");
        assertThat(first.hasPrevious()).isFalse();
        assertThat(first.hasNext()).isTrue();

        ProfileDetail second = DashboardViews.detail(profile("p", 4, 2), outcomes, ns -> Map.of(), first.nextOffset(), 2);
        assertThat(second.namespaces()).extracting(NamespaceRow::name).containsExactly("a-ok", "d-ok");
        assertThat(second.hasNext()).isFalse();
        assertThat(second.previousOffset()).isZero();

        ProfileDetail beyond = DashboardViews.detail(profile("p", 4, 2), outcomes, ns -> Map.of(), 99, 2);
        assertThat(beyond.namespaces()).isEmpty();
        assertThat(beyond.namespaceTotal()).isEqualTo(4);
    }

    @Test
    void cniPanelListsEveryFeatureAndEachProfilesVerification() {
        Capabilities caps = new Capabilities(Support.YES, Support.YES, Support.NO, Support.UNKNOWN, Support.NO,
                Support.YES, false, null);
        CniPanel panel = DashboardViews.cni(new CniVerdict("calico", "v3.28.0", "DaemonSet kube-system/calico-node",
                caps, false), true, List.of(profile("p", 1, 1)));
        assertThat(panel.enforcesNetworkPolicy()).isEqualTo("True");
        assertThat(panel.features()).containsEntry("Ingress", "YES").containsEntry("IPBlockExcept", "NO")
                .containsEntry("EndPort", "UNKNOWN").hasSize(6);
        assertThat(panel.verifications()).isEmpty();

        CniPanel before = DashboardViews.cni(null, true, List.of());
        assertThat(before.name()).isEqualTo("unknown");
        assertThat(before.enforcesNetworkPolicy()).isEqualTo("Unknown");
    }
}
