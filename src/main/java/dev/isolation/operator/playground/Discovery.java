package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy discovery documents kubectl reads before anything else ({@code /api},
 * {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}): the built-in kinds the
 * playground holds plus every CRD stored in it (the IsolationProfile CRD, the CNI's CRDs). Pure.
 */
final class Discovery {

    /** One served resource. */
    record Resource(String group, String version, String plural, String singular, String kind, boolean namespaced,
                    List<String> shortNames) {
        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    static final List<Resource> BUILT_IN = List.of(
            core("namespaces", "namespace", "Namespace", false, "ns"),
            core("nodes", "node", "Node", false, "no"),
            core("pods", "pod", "Pod", true, "po"),
            core("services", "service", "Service", true, "svc"),
            core("endpoints", "endpoints", "Endpoints", true, "ep"),
            core("configmaps", "configmap", "ConfigMap", true, "cm"),
            core("secrets", "secret", "Secret", true),
            core("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa"),
            core("events", "event", "Event", true, "ev"),
            new Resource("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, List.of("ds")),
            new Resource("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy")),
            new Resource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs")),
            new Resource("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, List.of("sts")),
            new Resource("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, List.of("netpol")),
            new Resource("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, List.of()),
            new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                    "CustomResourceDefinition", false, List.of("crd", "crds")),
            new Resource("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, List.of()),
            new Resource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, List.of()),
            new Resource("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, List.of()),
            new Resource("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, List.of()),
            new Resource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of()),
            new Resource("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, List.of("pdb")),
            new Resource("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, List.of("pc")));

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Resource> resources;

    private Discovery(List<Resource> resources) {
        this.resources = resources;
    }

    /** The built-in kinds and every served version of the given CRDs. */
    static Discovery of(List<CustomResourceDefinition> crds) {
        List<Resource> all = new ArrayList<>(BUILT_IN);
        for (CustomResourceDefinition crd : crds) {
            if (crd.getSpec() == null || crd.getSpec().getNames() == null || crd.getSpec().getVersions() == null) {
                continue;
            }
            var names = crd.getSpec().getNames();
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (Boolean.FALSE.equals(v.getServed())) {
                    continue;
                }
                all.add(new Resource(crd.getSpec().getGroup(), v.getName(), names.getPlural(),
                        names.getSingular() == null ? names.getKind().toLowerCase() : names.getSingular(), names.getKind(),
                        !"Cluster".equals(crd.getSpec().getScope()),
                        names.getShortNames() == null ? List.of() : names.getShortNames()));
            }
        }
        return new Discovery(all);
    }

    /** {@code /api}. */
    static ObjectNode coreVersions() {
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs");
        return doc;
    }

    /** {@code /apis}. */
    ObjectNode groups() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        resources.stream().filter(r -> !r.group().isEmpty())
                .forEach(r -> {
                    List<String> list = versions.computeIfAbsent(r.group(), g -> new ArrayList<>());
                    if (!list.contains(r.version())) {
                        list.add(r.version());
                    }
                });
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIGroupList");
        doc.put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        versions.forEach((group, vs) -> {
            ObjectNode g = groups.addObject();
            g.put("name", group);
            ArrayNode arr = g.putArray("versions");
            vs.forEach(v -> arr.addObject().put("groupVersion", group + "/" + v).put("version", v));
            g.putObject("preferredVersion").put("groupVersion", group + "/" + vs.get(0)).put("version", vs.get(0));
        });
        return doc;
    }

    /** {@code /api/v1} or {@code /apis/<group>/<version>}; empty for a group version nobody serves. */
    Optional<ObjectNode> resources(String groupVersion) {
        List<Resource> matching = servedIn(groupVersion);
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIResourceList");
        doc.put("apiVersion", "v1");
        doc.put("groupVersion", groupVersion);
        ArrayNode list = doc.putArray("resources");
        for (Resource r : matching) {
            ObjectNode o = list.addObject();
            o.put("name", r.plural());
            o.put("singularName", r.singular());
            o.put("namespaced", r.namespaced());
            o.put("kind", r.kind());
            ArrayNode verbs = o.putArray("verbs");
            VERBS.forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode shorts = o.putArray("shortNames");
                r.shortNames().forEach(shorts::add);
            }
        }
        return Optional.of(doc);
    }

    /**
     * {@code /openapi/v3}: one entry per group version. kubectl reads it to decide whether the
     * server validates fields itself ({@code kubectl apply}'s default {@code --validate=strict}).
     */
    ObjectNode openApiIndex() {
        ObjectNode doc = JSON.objectNode();
        ObjectNode paths = doc.putObject("paths");
        resources.stream().map(Resource::groupVersion).distinct().forEach(gv -> {
            String key = gv.contains("/") ? "apis/" + gv : "api/" + gv;
            paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key);
        });
        return doc;
    }

    /**
     * {@code /openapi/v3/apis/<group>/<version>}: paths only, no schemas. Each resource's PATCH
     * declares the {@code fieldValidation} parameter, so kubectl leaves validation to the server
     * (this one does none, like fabric8's mock) and sends CRs a JSON merge patch.
     */
    Optional<ObjectNode> openApi(String groupVersion) {
        List<Resource> matching = servedIn(groupVersion);
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (isolation-operator playground)").put("version", "v1.35.0");
        ObjectNode paths = doc.putObject("paths");
        String prefix = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
        for (Resource r : matching) {
            String item = prefix + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
            ObjectNode patch = paths.putObject(item).putObject("patch");
            ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
            gvk.put("group", r.group()).put("version", r.version()).put("kind", r.kind());
            patch.put("x-kubernetes-action", "patch");
            ArrayNode params = patch.putArray("parameters");
            for (String p : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
                params.addObject().put("name", p).put("in", "query").putObject("schema").put("type", "string");
            }
        }
        return Optional.of(doc);
    }

    private List<Resource> servedIn(String groupVersion) {
        return resources.stream().filter(r -> r.groupVersion().equals(groupVersion)).toList();
    }

    private static Resource core(String plural, String singular, String kind, boolean namespaced, String... shortNames) {
        return new Resource("", "v1", plural, singular, kind, namespaced, List.of(shortNames));
    }
}
