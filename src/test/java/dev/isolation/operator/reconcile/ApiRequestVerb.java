package dev.isolation.operator.reconcile;

import java.util.List;
import java.util.Optional;

/**
 * What the API server's authorizer sees in a request: verb, API group, resource (with
 * subresource) and namespace — derived from method and path exactly as kube-apiserver's
 * RequestInfoFactory does for resource requests.
 */
public record ApiRequestVerb(String verb, String group, String resource, String namespace) {

    /** Empty for non-resource requests (discovery, /version), which every authenticated user may make. */
    public static Optional<ApiRequestVerb> of(String method, String rawPath) {
        int query = rawPath.indexOf('?');
        String path = query < 0 ? rawPath : rawPath.substring(0, query);
        String params = query < 0 ? "" : rawPath.substring(query + 1);
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        int at;
        String group;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            at = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            at = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        List<String> rest = parts.subList(at, parts.size());
        // "namespaces/<ns>/<resource>..." is namespaced; "namespaces" or "namespaces/<ns>" is the Namespace itself.
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : null;
        if (rest.size() > 2) {
            resource = resource + "/" + rest.get(2);
        }
        boolean watch = params.matches("(^|.*&)watch=(true|1)(&.*|$)");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        return Optional.of(new ApiRequestVerb(verb, group, resource, namespace));
    }
}
