package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.isolation.operator.cni.rules.PodTemplates.commandLine;
import static dev.isolation.operator.cni.rules.PodTemplates.configMapValue;
import static dev.isolation.operator.cni.rules.PodTemplates.mainContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.name;
import static dev.isolation.operator.cni.rules.PodTemplates.ns;
import static dev.isolation.operator.cni.rules.PodTemplates.stringFlag;

/**
 * Cilium: DaemonSet {@code cilium} or image {@code cilium/cilium}. Switch: policy enforcement mode
 * {@code enable-policy} ({@code default | always | never}), from the agent's command line or else key
 * {@code enable-policy} of ConfigMap {@code cilium-config} in the DaemonSet's namespace; {@code never} turns
 * enforcement off.
 */
public final class CiliumRule implements CniRule {

    static final String CONFIG_MAP = "cilium-config";
    static final String KEY = "enable-policy";
    private static final Predicate<ImageRef> IMAGE = img -> img.pathEndsWith("cilium/cilium");

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("cilium", evidence.daemonSets(), ds -> name(ds).equals("cilium"), IMAGE,
                "cilium-agent").map(c -> withSwitch(c, evidence));
    }

    private static Candidate withSwitch(Candidate c, ClusterInventory evidence) {
        DaemonSet ds = c.claimed().get(0);
        Optional<Container> agent = mainContainer(ds, IMAGE, "cilium-agent");
        Optional<String> flag = agent.flatMap(a -> stringFlag(commandLine(a), KEY));
        String where = flag.isPresent() ? "--" + KEY : "ConfigMap " + ns(ds) + "/" + CONFIG_MAP + " " + KEY;
        Optional<String> mode = flag.or(() -> configMapValue(evidence.configMaps(), ns(ds), CONFIG_MAP, KEY))
                .map(v -> v.trim().toLowerCase(Locale.ROOT));
        return switch (mode.orElse("")) {
            case "never" -> c.withSwitch(false, where + "=never");
            case "default", "always" -> c.withSwitch(true, where + "=" + mode.get());
            default -> c; // absent or not a mode Cilium knows: the version range decides
        };
    }
}
