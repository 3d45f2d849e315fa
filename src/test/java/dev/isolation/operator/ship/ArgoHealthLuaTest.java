package dev.isolation.operator.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Argo CD health check {@code gitops/argocd/resource_customizations/isolation.dev/IsolationProfile/health.lua}
 * with LuaJ against every case of its {@code health_test.yaml}, the way Argo CD does: the resource is
 * converted to a Lua table and set as the global {@code obj}; the script returns {@code {status, message}}.
 * Also checks that the argocd-cm snippet carries the very same Lua.
 */
class ArgoHealthLuaTest {

    static final Path DIR = ShipFiles.resolve("gitops/argocd/resource_customizations/isolation.dev/IsolationProfile");
    static final Set<String> ARGO_HEALTH = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
    static final YAMLMapper YAML = new YAMLMapper();

    @TestFactory
    List<DynamicTest> healthTestCases() throws IOException {
        String script = Files.readString(DIR.resolve("health.lua"));
        JsonNode tests = YAML.readTree(DIR.resolve("health_test.yaml").toFile()).path("tests");
        assertThat(tests.size()).as("health_test.yaml cases").isGreaterThanOrEqualTo(8);

        List<DynamicTest> result = new ArrayList<>();
        for (JsonNode test : tests) {
            String input = test.path("inputPath").asText();
            String expectedStatus = test.path("healthStatus").path("status").asText();
            String expectedMessage = test.path("healthStatus").path("message").asText();
            result.add(DynamicTest.dynamicTest(input + " -> " + expectedStatus, () -> {
                JsonNode obj = YAML.readTree(DIR.resolve(input).toFile());
                LuaValue hs = run(script, obj);
                assertThat(hs.istable()).as("health.lua returns a table").isTrue();
                assertThat(hs.get("status").tojstring()).isEqualTo(expectedStatus);
                assertThat(hs.get("message").tojstring()).isEqualTo(expectedMessage);
                assertThat(ARGO_HEALTH).contains(expectedStatus);
            }));
        }
        return result;
    }

    @Test
    void everyTestdataFileIsUsedByACase() throws IOException {
        JsonNode tests = YAML.readTree(DIR.resolve("health_test.yaml").toFile()).path("tests");
        List<String> used = new ArrayList<>();
        tests.forEach(t -> used.add(t.path("inputPath").asText()));
        try (var files = Files.list(DIR.resolve("testdata"))) {
            assertThat(files.map(f -> "testdata/" + f.getFileName()).toList()).containsExactlyInAnyOrderElementsOf(used);
        }
    }

    @Test
    void argocdCmSnippetIsIdenticalToHealthLua() throws IOException {
        JsonNode cm = YAML.readTree(ShipFiles.resolve("gitops/argocd/argocd-cm-patch.yaml").toFile());
        assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(cm.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
        String snippet = cm.path("data").path("resource.customizations.health.isolation.dev_IsolationProfile").asText(null);
        assertThat(snippet).as("argocd-cm key resource.customizations.health.isolation.dev_IsolationProfile").isNotNull();
        assertThat(snippet).isEqualTo(Files.readString(DIR.resolve("health.lua")));
    }

    static LuaValue run(String script, JsonNode obj) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(obj));
        return globals.load(script, "health.lua").call();
    }

    /** JSON -> Lua as Argo CD does it: objects become tables, arrays 1-indexed tables, null nil. */
    static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                table.set(e.getKey(), toLua(e.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            int i = 1;
            for (JsonNode item : node) {
                table.set(i++, toLua(item));
            }
            return table;
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.booleanValue());
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return LuaValue.valueOf(node.intValue());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.doubleValue());
        }
        return LuaValue.valueOf(node.asText());
    }
}
