package dev.isolation.operator.cli;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.Enforcement;
import dev.isolation.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import jakarta.inject.Inject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code render -f <profiles> (--namespaces <file> | --namespace <name> [--labels k=v,…]) [--cni <name>[@<version>]]}:
 * the NetworkPolicies and namespace metadata the operator would write, as a sorted YAML stream,
 * then the Enforced verdict for that CNI as a YAML comment block.
 */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the NetworkPolicies and Namespace metadata the operator would write, as YAML sorted by",
                "namespace and name, then the enforcement verdict for the CNI as a comment block. No cluster needed.",
                "Exit 0: rendered; 1: a profile is invalid (errors on stderr); 2: an input could not be read."})
public class RenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Inject
    OperatorConfig config;

    @Mixin
    ProfileFiles files;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static class Target {
        @Option(names = "--namespaces", paramLabel = "<file|dir|->",
                description = "Namespace objects (a YAML stream or List, e.g. kubectl get ns -o yaml); may also hold "
                        + "Nodes and default/kubernetes EndpointSlices for the nodes and kubeApiServer presets.")
        String namespaces;

        @ArgGroup(exclusive = false)
        OneNamespace one;
    }

    static class OneNamespace {
        @Option(names = "--namespace", required = true, paramLabel = "<name>", description = "One namespace to render for.")
        String name;

        @Option(names = "--labels", split = ",", paramLabel = "k=v", description = "Its labels, e.g. tier=db,team=a.")
        Map<String, String> labels;
    }

    @Option(names = "--cni", paramLabel = "<name>[@<version>]",
            description = "The cluster's CNI, e.g. calico@v3.28.0 or flannel@v0.25.1, judged with the built-in capability "
                    + "catalog. Without it the verdict is Unknown.")
    String cni;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CniVerdict verdict;
        try {
            verdict = CniChoice.verdict(cni);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--cni: " + e.getMessage());
        }

        ManifestReader.Result profileFiles = files.read();
        ClusterInput.Cluster cluster;
        List<String> unreadable = new ArrayList<>(profileFiles.unreadable());
        if (target.namespaces != null) {
            ManifestReader.Result nsFiles = ManifestReader.read(List.of(target.namespaces), System.in);
            unreadable.addAll(nsFiles.unreadable());
            try {
                cluster = ClusterInput.from(nsFiles.documents());
            } catch (IllegalArgumentException e) {
                unreadable.add(e.getMessage());
                cluster = null;
            }
        } else {
            cluster = ClusterInput.single(target.one.name, target.one.labels);
        }
        List<ProfileInput.Loaded> profiles = ProfileInput.load(profileFiles.documents());
        unreadable.forEach(err::println);
        if (!unreadable.isEmpty()) {
            return ExitCodes.UNREADABLE;
        }
        if (profiles.isEmpty()) {
            err.println("no IsolationProfile found in " + files);
            return ExitCodes.UNREADABLE;
        }
        List<ProfileInput.Loaded> invalid = profiles.stream().filter(p -> !p.valid()).toList();
        if (!invalid.isEmpty()) {
            // The operator renders nothing for an invalid profile; neither does render.
            invalid.forEach(p -> p.errorLines().forEach(err::println));
            return ExitCodes.INVALID;
        }

        List<IsolationProfile> valid = profiles.stream().map(ProfileInput.Loaded::profile).toList();
        Set<String> protectedNamespaces = new TreeSet<>(config.protectedNamespaces());
        config.operatorNamespace().filter(ns -> !ns.isBlank()).ifPresent(protectedNamespaces::add);
        OfflineRender.Result result = OfflineRender.render(valid, cluster.namespaces(), cluster.facts(), verdict,
                protectedNamespaces);
        for (HasMetadata object : result.objects()) {
            out.print("---\n");
            out.print(SortedYaml.document(object));
        }
        out.print(SortedYaml.comment(verdictBlock(verdict, result)));
        return ExitCodes.OK;
    }

    private Map<String, Object> verdictBlock(CniVerdict verdict, OfflineRender.Result result) {
        Map<String, Object> block = new LinkedHashMap<>();
        Map<String, Object> cniInfo = new LinkedHashMap<>();
        cniInfo.put("name", verdict.name());
        if (verdict.version() != null) {
            cniInfo.put("version", verdict.version());
        }
        cniInfo.put("enforcesNetworkPolicy", verdict.enforcesNetworkPolicy());
        cniInfo.put("source", cni == null ? "no --cni given: the verdict is unknown" : "built-in capability catalog");
        block.put("cni", cniInfo);
        Map<String, Object> profiles = new LinkedHashMap<>();
        result.enforcement().forEach((name, e) -> profiles.put(name, enforced(e)));
        block.put("enforced", profiles);
        if (!result.notRendered().isEmpty()) {
            block.put("notRendered", Map.of("reason", "these presets follow Nodes / the default/kubernetes EndpointSlice; "
                    + "add them to the --namespaces file to render them", "policies", result.notRendered()));
        }
        if (!result.dryRun().isEmpty()) {
            block.put("dryRun", Map.of("reason", "mode DryRun: the operator writes none of these, it lists them in status",
                    "policies", result.dryRun()));
        }
        if (!result.conflicts().isEmpty()) {
            block.put("conflicts", result.conflicts());
        }
        return Map.of("verdict", block);
    }

    private static Map<String, Object> enforced(Enforcement e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.status());
        m.put("reason", e.reason());
        m.put("message", e.message());
        m.put("unsupportedFeatures", e.unsupportedNames());
        return m;
    }
}
