package dev.isolation.operator.probe.sim;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.netpol.Workload;
import dev.isolation.operator.probe.ProbeObjects;
import dev.isolation.operator.probe.ProbeStep;
import dev.isolation.operator.probe.ProbeSteps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check catalogue means something: on a fully enforcing dataplane every step has the
 * outcome it expects, and each degraded mode breaks exactly the checks that rest on what it lacks.
 */
class CatalogueAgainstDataplaneTest {

    private static final String NS = "isolation-probe";

    /** Which checks a mode breaks (a step's outcome differs from the expectation). */
    private static List<String> broken(CniMode mode) {
        ProbeObjects objects = new ProbeObjects(NS, "agnhost", "run1", 60);
        List<String> broken = new ArrayList<>();
        for (ProbeCheck check : ProbeCheck.values()) {
            for (ProbeStep step : ProbeSteps.of(check, "run1")) {
                Pod server = objects.server(step.server(), null);
                server.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP("10.0.0.1").build());
                Pod client = objects.client(step, "10.0.0.1", null);
                client.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP("10.0.0.2").build());
                List<NetworkPolicy> policies = new ArrayList<>();
                for (int i = 0; i < step.policies().size(); i++) {
                    policies.add(objects.policy(step, i, step.policies().get(i)));
                }
                boolean connected = SimulatedDataplane.connects(mode, Map.of(NS, Map.of()), policies,
                        Workload.of(client), Workload.of(server), step.port(), step.protocol());
                if (connected != step.expectConnected()) {
                    broken.add(step.name());
                }
            }
        }
        return broken;
    }

    @Test
    void everyStepHoldsOnAnEnforcingDataplane() {
        assertThat(broken(CniMode.ENFORCING)).isEmpty();
    }

    @Test
    void eachDegradedModeBreaksItsOwnChecks() {
        assertThat(broken(CniMode.NONE)).containsExactly("ingress-deny", "ingress-allow-other", "egress-deny",
                "udp-denied", "sctp-denied");
        assertThat(broken(CniMode.IGNORE_EGRESS)).containsExactly("egress-deny");
        assertThat(broken(CniMode.IGNORE_END_PORT)).containsExactly("end-port");
        assertThat(broken(CniMode.NO_NAMED_PORTS)).containsExactly("named-port");
        assertThat(broken(CniMode.NO_SCTP)).containsExactly("sctp-allowed");
        assertThat(broken(CniMode.SCTP_UNAVAILABLE)).containsExactly("sctp-baseline", "sctp-allowed");
        assertThat(broken(CniMode.BROKEN)).contains("baseline", "udp-baseline");
    }
}
