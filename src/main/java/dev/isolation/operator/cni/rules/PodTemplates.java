package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Null-safe reads of workload metadata and pod templates (containers, images, command lines, env), shared by the
 * {@link CniRule}s. Every field comes from the cluster and is untrusted: nothing here throws on missing parts.
 */
public final class PodTemplates {

    private PodTemplates() {
    }

    public static String name(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getName() == null ? "" : r.getMetadata().getName();
    }

    public static String ns(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace();
    }

    static Map<String, String> labels(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
    }

    static Map<String, String> annotations(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getAnnotations() == null
                ? Map.of() : r.getMetadata().getAnnotations();
    }

    /** Sorted by namespace, then name, so that verdicts do not depend on informer order. */
    public static <T extends HasMetadata> List<T> sorted(List<T> in) {
        return in.stream().sorted(Comparator.comparing((T r) -> ns(r)).thenComparing(PodTemplates::name)).toList();
    }

    /** {@code <kind> <namespace>/<name>} for each resource, e.g. {@code DaemonSet kube-system/cilium}. */
    public static List<String> refs(String kind, List<? extends HasMetadata> rs) {
        return rs.stream().map(r -> ref(kind, r)).toList();
    }

    public static String ref(String kind, HasMetadata r) {
        return kind + " " + (ns(r).isEmpty() ? "" : ns(r) + "/") + name(r);
    }

    static PodTemplateSpec template(DaemonSet ds) {
        return ds.getSpec() == null ? null : ds.getSpec().getTemplate();
    }

    static PodTemplateSpec template(Deployment d) {
        return d.getSpec() == null ? null : d.getSpec().getTemplate();
    }

    static List<Container> containers(DaemonSet ds) {
        return containers(template(ds));
    }

    static List<Container> containers(Deployment d) {
        return containers(template(d));
    }

    private static List<Container> containers(PodTemplateSpec t) {
        PodSpec spec = t == null ? null : t.getSpec();
        return spec == null || spec.getContainers() == null
                ? List.of() : spec.getContainers().stream().filter(Objects::nonNull).toList();
    }

    static List<Container> initContainers(DaemonSet ds) {
        PodTemplateSpec t = template(ds);
        PodSpec spec = t == null ? null : t.getSpec();
        return spec == null || spec.getInitContainers() == null
                ? List.of() : spec.getInitContainers().stream().filter(Objects::nonNull).toList();
    }

    static ImageRef image(Container c) {
        return ImageRef.parse(c.getImage());
    }

    /** First container whose image matches, else the one with the given name, else the first one. */
    static Optional<Container> mainContainer(DaemonSet ds, Predicate<ImageRef> byImage, String containerName) {
        List<Container> cs = containers(ds);
        return cs.stream().filter(c -> byImage.test(image(c))).findFirst()
                .or(() -> cs.stream().filter(c -> containerName.equals(c.getName())).findFirst())
                .or(() -> cs.stream().findFirst());
    }

    /** DaemonSets matched by name or by the image of one of their containers. */
    static List<DaemonSet> byNameOrImage(List<DaemonSet> daemonSets, Predicate<DaemonSet> byName,
                                        Predicate<ImageRef> byImage) {
        return daemonSets.stream()
                .filter(ds -> byName.test(ds) || containers(ds).stream().anyMatch(c -> byImage.test(image(c))))
                .toList();
    }

    static List<String> commandLine(Container c) {
        List<String> all = new ArrayList<>();
        if (c.getCommand() != null) {
            c.getCommand().stream().filter(Objects::nonNull).forEach(all::add);
        }
        if (c.getArgs() != null) {
            c.getArgs().stream().filter(Objects::nonNull).forEach(all::add);
        }
        return all;
    }

    /**
     * Go flag/pflag boolean: {@code --name}, {@code -name} (true), {@code --name=<bool>}; last occurrence wins.
     * Tokens are split on whitespace, so {@code sh -c "kindnetd --network-policy=false"} is read too.
     * Empty when the flag is absent or its value is not a Go boolean.
     */
    static Optional<Boolean> boolFlag(List<String> tokens, String flag) {
        Optional<Boolean> result = Optional.empty();
        for (String raw : tokens) {
            for (String t : raw.trim().split("\\s+")) {
                String body = t.startsWith("--") ? t.substring(2) : t.startsWith("-") ? t.substring(1) : null;
                if (body == null) {
                    continue;
                }
                if (body.equals(flag)) {
                    result = Optional.of(true);
                } else if (body.startsWith(flag + "=")) {
                    result = parseGoBool(body.substring(flag.length() + 1));
                }
            }
        }
        return result;
    }

    /** Value of a {@code --name=value} / {@code --name value} string flag; last occurrence wins. */
    static Optional<String> stringFlag(List<String> tokens, String flag) {
        Optional<String> result = Optional.empty();
        List<String> words = new ArrayList<>();
        tokens.forEach(raw -> words.addAll(List.of(raw.trim().split("\\s+"))));
        for (int i = 0; i < words.size(); i++) {
            String t = words.get(i);
            String body = t.startsWith("--") ? t.substring(2) : t.startsWith("-") ? t.substring(1) : null;
            if (body == null) {
                continue;
            }
            if (body.startsWith(flag + "=")) {
                result = Optional.of(unquote(body.substring(flag.length() + 1)));
            } else if (body.equals(flag) && i + 1 < words.size()) {
                result = Optional.of(unquote(words.get(i + 1)));
            }
        }
        return result;
    }

    static Optional<Boolean> parseGoBool(String v) {
        return switch (unquote(v)) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static String unquote(String v) {
        return v.trim().replace("\"", "").replace("'", "");
    }

    /** Env var value of a container: literal, or from a ConfigMap key in the workload's namespace. */
    static Optional<String> env(HasMetadata workload, Container c, String name, List<ConfigMap> configMaps) {
        if (c.getEnv() == null) {
            return Optional.empty();
        }
        for (EnvVar e : c.getEnv()) {
            if (e == null || !name.equals(e.getName())) {
                continue;
            }
            if (e.getValue() != null) {
                return Optional.of(e.getValue());
            }
            ConfigMapKeySelector ref = e.getValueFrom() == null ? null : e.getValueFrom().getConfigMapKeyRef();
            if (ref != null && ref.getName() != null && ref.getKey() != null) {
                return configMapValue(configMaps, ns(workload), ref.getName(), ref.getKey());
            }
        }
        return Optional.empty();
    }

    /** {@code data[key]} of ConfigMap {@code namespace/name}, if present. */
    static Optional<String> configMapValue(List<ConfigMap> configMaps, String namespace, String name, String key) {
        return configMaps.stream()
                .filter(m -> name(m).equals(name) && ns(m).equals(namespace))
                .map(ConfigMap::getData).filter(Objects::nonNull)
                .map(d -> d.get(key)).filter(Objects::nonNull).findFirst();
    }
}
