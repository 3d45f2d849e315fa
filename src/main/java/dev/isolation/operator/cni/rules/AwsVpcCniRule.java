package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.Capabilities;
import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.isolation.operator.cni.rules.PodTemplates.boolFlag;
import static dev.isolation.operator.cni.rules.PodTemplates.commandLine;
import static dev.isolation.operator.cni.rules.PodTemplates.configMapValue;
import static dev.isolation.operator.cni.rules.PodTemplates.containers;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;
import static dev.isolation.operator.cni.rules.PodTemplates.ns;

/**
 * Amazon VPC CNI: DaemonSet {@code aws-node} or image {@code amazon-k8s-cni}. Switches: the node agent container
 * ({@code aws-eks-nodeagent}, image {@code aws-network-policy-agent}) with {@code --enable-network-policy}
 * (default false), and key {@code enable-network-policy-controller} of ConfigMap {@code amazon-vpc-cni} in the
 * DaemonSet's namespace (the controller that feeds the agent).
 */
public final class AwsVpcCniRule implements CniRule {

    static final String CONFIG_MAP = "amazon-vpc-cni";
    static final String CONTROLLER_KEY = "enable-network-policy-controller";
    private static final Predicate<ImageRef> IMAGE = img -> img.name().equals("amazon-k8s-cni");

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("aws-vpc-cni", evidence.daemonSets(), ds -> name(ds).equals("aws-node"),
                IMAGE, "aws-node").map(c -> switches(c, evidence));
    }

    private static Candidate switches(Candidate c, ClusterInventory evidence) {
        DaemonSet ds = c.claimed().get(0);
        Optional<Container> agent = containers(ds).stream()
                .filter(k -> "aws-eks-nodeagent".equals(k.getName())
                        || image(k).name().equals("aws-network-policy-agent")).findFirst();
        boolean agentOn = agent.flatMap(k -> boolFlag(commandLine(k), "enable-network-policy")).orElse(false);
        String controller = configMapValue(evidence.configMaps(), ns(ds), CONFIG_MAP, CONTROLLER_KEY)
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse(null);
        List<String> ev = new ArrayList<>(c.evidence());
        agent.ifPresent(k -> ev.set(0, ev.get(0) + " (container " + k.getName() + " --enable-network-policy="
                + agentOn + ")"));
        if (controller != null) {
            ev.add("ConfigMap " + ns(ds) + "/" + CONFIG_MAP + " " + CONTROLLER_KEY + "=" + controller);
        }
        Candidate out = c.withEvidence(ev);
        if (agent.isEmpty()) {
            return out.withSwitch(false, "no aws-eks-nodeagent container (the VPC CNI network policy agent is not"
                    + " installed)");
        }
        if (!agentOn) {
            return out.withSwitch(false, "the VPC CNI network policy agent runs without --enable-network-policy=true");
        }
        if ("false".equals(controller)) {
            // The two switches disagree: the agent enforces what the controller publishes, which may be nothing.
            return out.withForced(Capabilities.unknown("the node agent has --enable-network-policy=true but ConfigMap "
                    + CONFIG_MAP + " sets " + CONTROLLER_KEY + "=false"));
        }
        return out.withSwitch(true, "the VPC CNI network policy agent runs with --enable-network-policy=true");
    }
}
