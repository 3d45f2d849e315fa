package dev.isolation.operator.dashboard;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.reconcile.ApiTraffic;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs). Without them the test is skipped with one line, unless
 * {@code -Dbrowser.required=true} (CI) makes that a failure.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static ChromeDriver browser;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    OperatorLauncher launcher;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && Boolean.getBoolean("browser.required")) {
            throw new IllegalStateException("headless Chromium is required here: apt-get install chromium chromium-driver");
        }
        if (!present) {
            System.out.println("DashboardBrowserTest skipped: no /usr/bin/chromium and /usr/bin/chromedriver"
                    + " (apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "headless Chromium not installed");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void recordTraffic() {
        ApiTraffic.drain(server.getKubernetesMockServer());
    }

    @Test
    void overviewDrillDownAndEscapingInARealBrowser() throws Exception {
        KubernetesClient client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        OperatorTestSupport.boot(client, launcher);
        OperatorTestSupport.namespace(client, "shop-frontend", Map.of("tier", "web"));
        OperatorTestSupport.namespace(client, "shop-checkout", Map.of("tier", "web",
                "note", "<script>document.title='pwned'</script>"));
        OperatorTestSupport.namespace(client, "payments-db", Map.of("tier", "db"));
        OperatorTestSupport.create(client, OperatorTestSupport.profile("web-tier", Map.of("tier", "web")));
        OperatorTestSupport.create(client, OperatorTestSupport.profile("db-tier", Map.of("tier", "db")));
        await().atMost(TIMEOUT).until(() -> OperatorTestSupport.conditionIs(client, "web-tier", "Ready", "True", null)
                && OperatorTestSupport.conditionIs(client, "db-tier", "Ready", "True", null));

        browser.get(root.toString());
        List<WebElement> rows = browser.findElements(By.cssSelector("#profiles tr.profile"));
        assertThat(rows).extracting(WebElement::getText)
                .anySatisfy(t -> assertThat(t).startsWith("db-tier").contains("True").contains("1/1"))
                .anySatisfy(t -> assertThat(t).startsWith("web-tier").contains("2/2").contains("100%"));
        assertThat(browser.findElement(By.id("cni")).getText()).contains("Enforces NetworkPolicy");
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.linkText("web-tier")).click();
        assertThat(browser.getTitle()).isEqualTo("isolation-operator — web-tier");
        String table = browser.findElement(By.id("namespaces")).getText();
        assertThat(table).contains("shop-frontend").contains("shop-checkout")
                // The label value is shown as text; had it been markup, the script would have set the title.
                .contains("note=<script>document.title='pwned'</script>");
        assertThat(browser.getTitle()).doesNotContain("pwned");

        browser.findElement(By.linkText("shop-checkout")).click();
        assertThat(browser.findElements(By.tagName("h3"))).extracting(WebElement::getText)
                .contains("web-tier-default-deny");
        assertThat(browser.findElement(By.tagName("pre")).getText()).contains("policyTypes");
        assertThat(new File("target/dashboard.png")).exists();
    }
}
