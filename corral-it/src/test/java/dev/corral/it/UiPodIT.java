package dev.corral.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods in the web UI, in a real browser against `corral up`: a pod of two containers created in the JSON
 * editor (a bad one first, refused with its field paths), seen Running in its group folder of the Services
 * table, healthy by its web container's check; its page with both containers, their endpoints, health and a
 * container's log; scaled to two instances, one killed and replaced; edited (a new version, its diff with the previous one); counted on the
 * Dashboard and the Nodes page; deleted. The tests share one page and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiPodIT {
  private static final String POD = "/ui/duo";
  private static final double WAIT_MS = 60_000;

  @TempDir
  static Path dir;
  static SingleNode node;
  static UiBrowser ui;
  static Browser browser;
  static Page page;
  static List<String> pageErrors;

  @BeforeAll
  static void start() throws Exception {
    node = SingleNode.start(dir, "cpus:4;mem:4096;disk:1000", 20);
    ui = UiBrowser.open(1280, 800, WAIT_MS);
    browser = ui.browser;
    page = ui.page;
    pageErrors = ui.pageErrors;
    ui.logInAsAdmin(node);
  }

  @AfterAll
  static void stop() throws Exception {
    if (ui != null) {
      ui.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static Locator button(String name) {
    return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  @Test
  @Order(1)
  void aPodCreatedInTheEditorRunsInItsFolder() {
    page.locator("[data-nav=services]").click();
    button("Create").click();
    // a definition with containers is a pod: the editor says so and posts it to /v2/pods
    page.locator("textarea[name=definition]").fill("""
        {"id": "/ui/bad", "containers": [{"name": "a", "resources": {"cpus": -1, "mem": 32}},
                                         {"name": "a", "resources": {"cpus": 0.1, "mem": 32}}]}
        """);
    assertThat(button("Create pod")).isVisible();
    button("Create pod").click();
    assertThat(page.locator(".modal .field-errors .path", new Page.LocatorOptions().setHasText("/containers/0/resources/cpus")))
        .hasCount(1);
    assertThat(page.locator(".modal .field-errors .path", new Page.LocatorOptions().setHasText("/containers/1/name")))
        .hasCount(1);
    page.locator("textarea[name=definition]").fill("""
        {"id": "%s", "scaling": {"kind": "fixed", "instances": 1},
         "containers": [
           {"name": "web", "resources": {"cpus": 0.1, "mem": 64},
            "exec": {"command": {"shell": "echo web-says-hello; exec python3 -m http.server --bind 127.0.0.1 $ENDPOINT_HTTP"}},
            "endpoints": [{"name": "http", "hostPort": 0, "protocol": ["http"]}],
            "healthCheck": {"http": {"endpoint": "http", "path": "/"}, "gracePeriodSeconds": 30,
                            "intervalSeconds": 1, "timeoutSeconds": 2, "maxConsecutiveFailures": 3, "delaySeconds": 0}},
           {"name": "helper", "resources": {"cpus": 0.2, "mem": 32},
            "exec": {"command": {"shell": "exec sleep 3600"}}}],
         "networks": [{"mode": "host"}]}
        """.formatted(POD));
    button("Create pod").click();
    // Create goes to the pod's page
    assertThat(page.locator(".crumbs")).containsText("duo");
    page.locator("[data-nav=services]").click();
    page.locator("a.folder-link", new Page.LocatorOptions().setHasText("ui")).click();
    Locator row = page.locator("tr[data-pod='" + POD + "']");
    assertThat(row.locator(".pod-icon")).isVisible();
    assertThat(row.locator(".instances")).hasText("1/1");
    assertThat(row.locator(".status")).hasText("Running");
    assertThat(row.locator(".healthbar")).hasAttribute("data-running", "1");
    // the web container's health check passes: the instance is healthy
    assertThat(row.locator(".healthbar")).hasAttribute("data-healthy", "1");
    assertThat(row.locator(".seg.healthy")).isVisible();
    // resources per instance summed over the containers: 0.3 CPU, 96 MiB
    assertThat(row).containsText("0.3");
    assertThat(row).containsText("96 MiB");
    shoot("ui-pods.png");
    assertThat(page.locator("tr[data-app]")).hasCount(0);
  }

  @Test
  @Order(2)
  void thePodPageShowsEachContainerWithItsEndpointAndLogs() {
    page.locator("tr[data-pod='" + POD + "'] td a").first().click();
    Locator instances = page.locator("table.pod-instances tbody[data-instance]");
    assertThat(instances).hasCount(1);
    Locator web = instances.first().locator("tr[data-container=web]");
    Locator helper = instances.first().locator("tr[data-container=helper]");
    assertThat(web).containsText("RUNNING");
    assertThat(helper).containsText("RUNNING");
    assertThat(web).containsText("127.0.0.1");
    assertThat(web.locator(".endpoints")).hasText(Pattern.compile("http:\\d+"));
    assertThat(helper.locator(".endpoints")).hasText("—");
    assertThat(web.locator(".health")).hasText("Healthy");
    assertThat(helper.locator(".health")).hasText("—");
    // each container's memory, one line per container (and the time) in the legend
    Locator memory = page.locator("[data-chart=memory]");
    assertThat(memory).hasAttribute("data-samples", Pattern.compile("^([2-9]|\\d{2,})$"));
    assertThat(memory.locator(".u-legend .u-series")).hasCount(3);
    assertThat(memory.locator(".u-legend")).containsText("helper");
    shoot("ui-pod.png");
    // on a phone-sized screen the navigation moves above the page and the actions stay reachable
    page.setViewportSize(390, 844);
    assertThat(button("Scale")).isInViewport();
    assertThat(page.locator("[data-nav=settings]")).isVisible();
    shoot("ui-pod-narrow.png");
    page.setViewportSize(1280, 800);
    // a container's log, and the way back to the pod
    web.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("stdout of web")).click();
    assertThat(page.locator("pre.log .line").first()).containsText("web-says-hello");
    page.locator(".crumbs a").first().click();
    assertThat(page.locator("table.pod-instances tr[data-container=web]")).hasCount(1);
  }

  @Test
  @Order(3)
  void scaledKilledEditedAndCountedOnTheDashboardAndNodes() throws Exception {
    button("Scale").click();
    page.locator("input[name=instances]").fill("2");
    page.locator(".modal button[type=submit]").click();
    Locator instances = page.locator("table.pod-instances tbody[data-instance]");
    assertThat(instances).hasCount(2);
    assertThat(page.locator("table.pod-instances tr[data-container] .state.task_running")).hasCount(4);
    assertThat(page.locator(".page-head .instances")).hasText("2/2 running");
    assertThat(node.api.get("/v2/pods" + POD).json().path("scaling").path("instances").asInt()).isEqualTo(2);
    // a killed instance is replaced by a new one
    String killed = instances.first().getAttribute("data-instance");
    button("Kill instance " + killed).click();
    page.locator(".modal button.danger").click();
    assertThat(page.locator("tbody[data-instance='" + killed + "']")).hasCount(0);
    assertThat(page.locator("table.pod-instances tr[data-container] .state.task_running")).hasCount(4);
    // Edit: the definition without what GET adds at run time; the change is a new version
    button("Edit").click();
    Locator definition = page.locator("textarea[name=definition]");
    assertThat(definition).hasValue(Pattern.compile("\"helper\""));
    assertThat(definition.inputValue()).doesNotContain("\"version\"");
    definition.fill(definition.inputValue().replace("exec sleep 3600\"", "echo helper-edited; exec sleep 3600\""));
    page.locator(".modal button[type=submit]").click();
    page.locator(".tabs a", new Page.LocatorOptions().setHasText("Configuration")).click();
    assertThat(page.locator("pre.json")).containsText("helper-edited");
    page.locator(".tabs a", new Page.LocatorOptions().setHasText("Versions")).click();
    assertThat(page.locator(".version-list li")).hasCount(3);
    assertThat(page.locator(".version-list .tag")).hasText("current");
    // the diff of the previous and the current version: the helper's command, one line out, one line in
    Locator diff = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(Pattern.compile("^Changes from ")));
    assertThat(diff.locator(".diff-line.del")).hasCount(1);
    assertThat(diff.locator(".diff-line.del")).containsText("\"shell\": \"exec sleep 3600\"");
    assertThat(diff.locator(".diff-line.add")).containsText("helper-edited");
    assertThat(page.locator(".diff-summary")).hasText("1 added, 1 removed");
    page.locator(".tabs a", new Page.LocatorOptions().setHasText("Instances")).click();
    assertThat(page.locator("table.pod-instances tr[data-container] .state.task_running")).hasCount(4);
    // the dashboard counts a task per container, the node lists the pod with its instances
    page.locator("[data-nav=dashboard]").click();
    assertThat(page.locator(".gauge", new Page.LocatorOptions().setHasText("Tasks")).locator(".gauge-value")).hasText("4");
    page.locator("[data-nav=nodes]").click();
    Locator agent = page.locator("table.nodes tbody tr", new Page.LocatorOptions().setHasText("127.0.0.1"));
    assertThat(agent).containsText(POD + " ×2");
    agent.locator("a", new Locator.LocatorOptions().setHasText(POD)).click();
    assertThat(page.locator(".crumbs")).containsText("duo");
    page.locator("[data-nav=services]").click();
    page.locator("a.folder-link", new Page.LocatorOptions().setHasText("ui")).click();
    assertThat(page.locator("tr[data-pod='" + POD + "'] .instances")).hasText("2/2");
  }

  @Test
  @Order(4)
  void deletedFromTheTable() {
    Locator row = page.locator("tr[data-pod='" + POD + "']");
    button("Delete " + POD).click();
    page.locator(".modal button.danger").click();
    assertThat(row).hasCount(0);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> node.api.get("/v2/pods" + POD).status() == 404);
    assertThat(pageErrors).isEmpty();
  }

  private static void shoot(String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", name)));
  }
}
