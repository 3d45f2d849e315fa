package dev.isolation.operator.cni;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces CNI evidence may come from (API contract, "Trust rules"). Tenants cannot create objects there,
 * so a look-alike workload elsewhere (a Deployment named {@code tigera-operator} in a tenant namespace) never
 * changes the verdict. Configured namespaces are added to the defaults, never replace them: a typo in the setting
 * cannot make detection blind.
 */
public final class SystemNamespaces {

    /** The contract's defaults. */
    public static final List<String> DEFAULTS = List.of("kube-system", "kube-flannel", "calico-system",
            "tigera-operator", "cilium", "ovn-kubernetes", "openshift-ovn-kubernetes");

    /** Only the defaults. */
    public static final SystemNamespaces DEFAULT = withExtra(List.of());

    private final Set<String> names;

    private SystemNamespaces(Set<String> names) {
        this.names = names;
    }

    /** The defaults plus {@code extra} (blank and null entries ignored). */
    public static SystemNamespaces withExtra(Collection<String> extra) {
        TreeSet<String> all = new TreeSet<>(DEFAULTS);
        if (extra != null) {
            extra.stream().filter(Objects::nonNull).map(String::trim).filter(s -> !s.isEmpty()).forEach(all::add);
        }
        return new SystemNamespaces(java.util.Collections.unmodifiableSet(all));
    }

    /** Sorted. */
    public Set<String> names() {
        return names;
    }

    public boolean contains(String namespace) {
        return namespace != null && names.contains(namespace);
    }

    @Override
    public String toString() {
        return String.join(",", names);
    }
}
