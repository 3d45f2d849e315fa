package dev.isolation.operator.probe;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.DefaultDeny;
import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.ProbeContract;
import dev.isolation.operator.api.VerificationResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which checks, what their pods look like, and how results add up. */
class ProbePlanningTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    private static EffectiveSpec spec(boolean ingress, boolean egress) {
        IsolationProfileSpec s = new IsolationProfileSpec();
        s.setDefaultDeny(new DefaultDeny(ingress, egress));
        return EffectiveSpec.of(s);
    }

    private static NetworkPolicySpec np(String yaml) {
        return YAML.unmarshal(yaml, NetworkPolicySpec.class);
    }

    @Test
    void checksFollowWhatTheProfileUses() {
        assertThat(CheckSelection.required(spec(false, false), List.of())).containsExactly(ProbeCheck.BASELINE);
        assertThat(CheckSelection.required(spec(true, false), List.of()))
                .containsExactly(ProbeCheck.BASELINE, ProbeCheck.INGRESS_DENY, ProbeCheck.INGRESS_ALLOW);
        assertThat(CheckSelection.required(spec(false, true), List.of()))
                .containsExactly(ProbeCheck.BASELINE, ProbeCheck.EGRESS_DENY, ProbeCheck.EGRESS_ALLOW);
        // Egress in a policy counts even when egress is not denied by default.
        assertThat(CheckSelection.required(spec(false, false), List.of(np("podSelector: {}\npolicyTypes: [Egress]"))))
                .contains(ProbeCheck.EGRESS_DENY, ProbeCheck.EGRESS_ALLOW);
        assertThat(CheckSelection.required(spec(true, false), List.of(np("""
                podSelector: {}
                ingress:
                - ports: [{port: 1, endPort: 2}, {port: http}, {protocol: udp, port: 53}]
                egress:
                - ports: [{protocol: SCTP, port: 3868}]
                """)))).containsExactly(ProbeCheck.values());
    }

    @Test
    void podsAreRestrictedAndCarryTheContractsLabels() {
        ProbeObjects objects = new ProbeObjects("isolation-probe", "mirror/agnhost:2.53", "r1", 60);
        ProbeStep step = ProbeSteps.of(ProbeCheck.UDP, "r1").get(1);
        Pod client = objects.client(step, "fd00::5", "node-b");
        assertThat(client.getMetadata().getLabels()).containsEntry(ProbeContract.RUN_LABEL, "r1")
                .containsEntry(ProbeContract.ROLE_LABEL, "client").containsEntry(ProbeContract.CHECK_LABEL, "udp")
                .containsEntry("app.kubernetes.io/managed-by", "isolation-operator");
        assertThat(client.getMetadata().getAnnotations()).containsEntry(ProbeContract.TARGET_ANNOTATION, "[fd00::5]:8081/UDP");
        assertThat(client.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(client.getSpec().getActiveDeadlineSeconds()).isEqualTo(60);
        assertThat(client.getSpec().getNodeSelector()).containsEntry("kubernetes.io/hostname", "node-b");
        Container c = client.getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsExactly("connect", "[fd00::5]:8081", "--timeout=3s", "--protocol=udp");
        assertThat(c.getImage()).isEqualTo("mirror/agnhost:2.53");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(client.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(client.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Pod server = objects.server(ServerKind.MAIN, null);
        assertThat(server.getMetadata().getLabels()).containsEntry(ProbeContract.ROLE_LABEL, "server");
        assertThat(server.getSpec().getContainers().get(0).getPorts()).extracting(p -> p.getName() + "/" + p.getProtocol())
                .containsExactly("http/TCP", "udp/UDP");
        assertThat(server.getSpec().getNodeSelector()).isNullOrEmpty();
    }

    @Test
    void placementUsesTwoSchedulableReadyNodes() {
        var ready = new NodeBuilder().withNewMetadata().withName("a").addToLabels("kubernetes.io/hostname", "a").endMetadata()
                .withNewSpec().endSpec().withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
        var b = new NodeBuilder(ready).editMetadata().withName("b").addToLabels("kubernetes.io/hostname", "b").endMetadata().build();
        var tainted = new NodeBuilder(ready).editMetadata().withName("c").addToLabels("kubernetes.io/hostname", "c").endMetadata()
                .editSpec().addNewTaint().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").endTaint()
                .endSpec().build();
        assertThat(Placement.choose(List.of(b, ready, tainted))).isEqualTo(new Placement("a", "b"));
        assertThat(Placement.choose(List.of(ready, tainted))).isEqualTo(new Placement(null, null));
        assertThat(Placement.choose(null)).isEqualTo(new Placement(null, null));
    }

    @Test
    void judgingSteps() {
        ProbeStep deny = ProbeSteps.of(ProbeCheck.INGRESS_DENY, "r").get(0);
        assertThat(CheckJudge.judge(deny, StepOutcome.blocked("1.2.3.4:8080/TCP", "exit code 1"), T)).isEmpty();
        CheckResult failed = CheckJudge.judge(deny, StepOutcome.connected("1.2.3.4:8080/TCP"), T).orElseThrow();
        assertThat(failed.result()).isEqualTo(VerificationResult.Failed);
        assertThat(failed.message()).isEqualTo("connected to 1.2.3.4:8080/TCP although ingress was denied");
        assertThat(CheckJudge.judge(deny, StepOutcome.noResult("x", "client pod did not terminate"), T).orElseThrow().result())
                .isEqualTo(VerificationResult.Inconclusive);
        ProbeStep udpBaseline = ProbeSteps.of(ProbeCheck.UDP, "r").get(0);
        assertThat(udpBaseline.precondition()).isTrue();
        assertThat(CheckJudge.judge(udpBaseline, StepOutcome.blocked("x", null), T).orElseThrow().result())
                .isEqualTo(VerificationResult.Inconclusive);
    }

    @Test
    void aProfilesResultIsFinalOnlyWithAllItsChecks() {
        var required = EnumSet.of(ProbeCheck.BASELINE, ProbeCheck.INGRESS_DENY, ProbeCheck.EGRESS_DENY);
        Map<ProbeCheck, CheckResult> partial = Map.of(ProbeCheck.BASELINE, CheckResult.passed(ProbeCheck.BASELINE, T),
                ProbeCheck.INGRESS_DENY, CheckResult.passed(ProbeCheck.INGRESS_DENY, T));
        ProbeVerification pending = ProbeVerification.of(required, partial);
        assertThat(pending.result()).isEqualTo(VerificationResult.NotRun);
        assertThat(pending.message()).contains("egress-deny not run yet");
        assertThat(pending.checks()).extracting(c -> c.getName() + "=" + c.getResult())
                .containsExactly("baseline=Passed", "ingress-deny=Passed", "egress-deny=NotRun");

        var all = new java.util.EnumMap<>(partial);
        all.put(ProbeCheck.EGRESS_DENY, new CheckResult(ProbeCheck.EGRESS_DENY, VerificationResult.Failed, "connected to x", T.plusSeconds(5)));
        all.put(ProbeCheck.UDP, CheckResult.inconclusive(ProbeCheck.UDP, "not mine", T));
        ProbeVerification failed = ProbeVerification.of(required, all);
        assertThat(failed.result()).isEqualTo(VerificationResult.Failed);
        assertThat(failed.message()).isEqualTo("egress-deny failed: connected to x");
        assertThat(failed.checkedAt()).isEqualTo(T.plusSeconds(5));
        assertThat(failed.checks()).hasSize(3);

        assertThat(ProbeVerification.of(EnumSet.of(ProbeCheck.BASELINE, ProbeCheck.UDP), all).result())
                .isEqualTo(VerificationResult.Inconclusive);
    }
}
