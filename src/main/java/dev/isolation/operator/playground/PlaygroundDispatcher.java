package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * fabric8's CRUD mock plus what kubectl needs from a real API server and the mock lacks:
 * {@code /version}, the discovery documents, and server-side printing (Table answers) for custom
 * resources, so {@code kubectl get isop} shows the CRD's printer columns. Everything else is the
 * mock's in-memory store unchanged.
 */
final class PlaygroundDispatcher extends Dispatcher {

    static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if ("GET".equals(request.getMethod())) {
            Optional<MockResponse> answer = get(request);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        return crud.dispatch(request);
    }

    private Optional<MockResponse> get(RecordedRequest request) {
        String full = request.getPath();
        int q = full.indexOf('?');
        String path = q < 0 ? full : full.substring(0, q);
        String query = q < 0 ? "" : full.substring(q + 1);
        String[] seg = path.replaceAll("^/+|/+$", "").split("/");
        if (path.equals("/version")) {
            return json("{\"major\":\"1\",\"minor\":\"35\",\"gitVersion\":\"v1.35.0-isolation-playground\",\"platform\":\"linux/amd64\"}");
        }
        if (path.equals("/api")) {
            return json(Discovery.coreVersions().toString());
        }
        if (path.equals("/apis")) {
            return json(discovery().groups().toString());
        }
        if (path.equals("/api/v1")) {
            return discovery().resources("v1").map(d -> answer(200, d.toString()));
        }
        if (seg.length == 3 && seg[0].equals("apis")) {
            return Optional.of(discovery().resources(seg[1] + "/" + seg[2])
                    .map(d -> answer(200, d.toString())).orElseGet(() -> notFound(path)));
        }
        if (path.equals("/openapi/v3")) {
            return json(discovery().openApiIndex().toString());
        }
        if (path.startsWith("/openapi/v3/")) {
            String gv = path.substring("/openapi/v3/".length()).replaceFirst("^apis?/", "");
            return Optional.of(discovery().openApi(gv).map(d -> answer(200, d.toString())).orElseGet(() -> notFound(path)));
        }
        if (seg[0].equals("openapi")) {
            return Optional.of(notFound(path)); // no OpenAPI v2 (kubectl asks for it as protobuf)
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("as=Table") && !query.contains("watch=")) {
            return table(path);
        }
        return Optional.empty();
    }

    /** A Table for a custom resource whose CRD has printer columns; otherwise the mock answers. */
    private Optional<MockResponse> table(String path) {
        Optional<List<CustomResourceColumnDefinition>> columns = printerColumns(path);
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        MockResponse stored = crud.handleGet(path);
        if (stored.code() != 200) {
            return Optional.of(stored);
        }
        return Optional.of(answer(200, tableOf(columns.get(), stored.getBody().readUtf8()).toString()));
    }

    /** The printer columns of the custom resource a path (list or item, no query) names, if it has any. */
    Optional<List<CustomResourceColumnDefinition>> printerColumns(String path) {
        String[] seg = path.replaceAll("^/+|/+$", "").split("/");
        if (seg.length < 4 || !seg[0].equals("apis")) {
            return Optional.empty();
        }
        int plural = seg[3].equals("namespaces") && seg.length >= 6 ? 5 : 3;
        if (seg.length > plural + 2) {
            return Optional.empty();
        }
        for (CustomResourceDefinition crd : crds()) {
            if (!seg[1].equals(crd.getSpec().getGroup()) || !seg[plural].equals(crd.getSpec().getNames().getPlural())) {
                continue;
            }
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (v.getName().equals(seg[2]) && v.getAdditionalPrinterColumns() != null && !v.getAdditionalPrinterColumns().isEmpty()) {
                    return Optional.of(v.getAdditionalPrinterColumns());
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode tableOf(List<CustomResourceColumnDefinition> columns, String body) {
        try {
            JsonNode stored = MAPPER.readTree(body);
            List<JsonNode> items = new ArrayList<>();
            if (stored.has("items")) {
                stored.get("items").forEach(items::add);
            } else {
                items.add(stored);
            }
            String rv = stored.path("metadata").path("resourceVersion").asText(null);
            return PrinterColumnTable.of(columns, items, rv, Instant.now());
        } catch (IOException e) {
            throw new IllegalStateException("the mock stored unreadable JSON", e);
        }
    }

    private Discovery discovery() {
        return Discovery.of(crds());
    }

    private List<CustomResourceDefinition> crds() {
        MockResponse list = crud.handleGet(CRDS);
        if (list.code() != 200) {
            return List.of();
        }
        CustomResourceDefinitionList crds = Serialization.unmarshal(list.getBody().readUtf8(), CustomResourceDefinitionList.class);
        return crds.getItems().stream().filter(c -> c.getSpec() != null && c.getSpec().getNames() != null
                && c.getSpec().getVersions() != null).toList();
    }

    private static Optional<MockResponse> json(String body) {
        return Optional.of(answer(200, body));
    }

    private static MockResponse notFound(String path) {
        return answer(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                + "\"message\":\"the server could not find the requested resource (" + path.replace("\"", "") + ")\"}");
    }

    private static MockResponse answer(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
