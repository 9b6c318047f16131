package dev.corral.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
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
 * A service's page in a real browser against `corral up` with authentication on: an app edited in the JSON
 * editor and the diff of its versions; its tasks' CPU and memory charts from the metrics API; a terminal
 * in a running task through the exec WebSocket (the session cookie goes along). The tests share one page
 * and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiServiceIT {
  private static final String APP = "/ops/shell";
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
    assertThat(node.api.post("/v2/apps", """
        {"id": "%s", "instances": 1, "cpus": 0.1, "mem": 64,
         "cmd": "while :; do echo tick; sleep 1; done"}
        """.formatted(APP)).status()).isEqualTo(201);
    node.api.awaitTasks(APP, Marathon.running(1), Duration.ofSeconds(60));
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

  private static void openApp(String tab) {
    page.navigate(node.url + "/ui/services/detail/" + URLEncoder.encode(APP, StandardCharsets.UTF_8) + "/" + tab);
    assertThat(page.locator(".crumbs")).containsText("shell");
  }

  @Test
  @Order(1)
  void theVersionsTabShowsWhatAnEditChanged() {
    openApp("tasks");
    button("Edit").click();
    Locator definition = page.locator("textarea[name=definition]");
    assertThat(definition).hasValue(Pattern.compile("\"cmd\""));
    definition.fill(definition.inputValue()
        .replace("echo tick; sleep 1", "echo tock; sleep 1")
        .replaceFirst("\"instances\": 1", "\"instances\": 2"));
    page.locator(".modal button[type=submit]").click();
    assertThat(page.locator("table.tasks tr[data-task] .state.task_running")).hasCount(2);
    page.locator(".tabs a", new Page.LocatorOptions().setHasText("Versions")).click();
    assertThat(page.locator(".version-list li")).hasCount(2);
    // by default the previous version against the current one
    assertThat(page.locator("select[name=diff-to] option:checked")).containsText("(current)");
    Locator diff = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(Pattern.compile("^Changes from ")));
    Locator removed = diff.locator(".diff-line.del");
    Locator added = diff.locator(".diff-line.add");
    assertThat(removed).hasCount(2);
    assertThat(added).hasCount(2);
    assertThat(removed.filter(new Locator.FilterOptions().setHasText("echo tick"))).hasCount(1);
    assertThat(added.filter(new Locator.FilterOptions().setHasText("echo tock"))).hasCount(1);
    assertThat(removed.filter(new Locator.FilterOptions().setHasText("\"instances\": 1"))).hasCount(1);
    assertThat(added.filter(new Locator.FilterOptions().setHasText("\"instances\": 2"))).hasCount(1);
    // screen readers hear what each marked line is
    assertThat(removed.first()).containsText("removed:");
    assertThat(added.first()).containsText("added:");
    assertThat(page.locator(".diff-summary")).hasText("2 added, 2 removed");
    // unchanged lines far from a change are folded, and open on demand
    Locator fold = diff.locator("button.diff-fold").first();
    assertThat(fold).containsText("unchanged line");
    shoot("ui-version-diff.png");
    int before = diff.locator(".diff-line").count();
    fold.click();
    assertThat(diff.locator(".diff-line")).not().hasCount(before);
    // on a phone-sized screen the pickers and the diff stay on the page (long lines scroll inside the diff)
    page.setViewportSize(390, 844);
    assertThat(page.locator("select[name=diff-to]")).isInViewport();
    assertThat(removed.first()).isVisible();
    shoot("ui-version-diff-narrow.png");
    page.setViewportSize(1280, 800);
    // the same version on both sides: nothing changed
    page.locator("select[name=diff-from]").selectOption(page.locator("select[name=diff-to]").inputValue());
    assertThat(page.locator(".diff-summary")).hasText("No difference.");
    assertThat(diff).hasCount(0);
  }

  @Test
  @Order(2)
  void theTasksTabChartsEachTasksCpuAndMemory() {
    openApp("tasks");
    Locator metrics = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Metrics"));
    Locator memory = metrics.locator("[data-chart=memory]");
    Locator cpu = metrics.locator("[data-chart=cpu]");
    // polled every few seconds: at least two samples, drawn by uPlot with one line per task
    assertThat(memory).hasAttribute("data-samples", Pattern.compile("^([2-9]|\\d{2,})$"));
    assertThat(cpu).hasAttribute("data-samples", Pattern.compile("^([2-9]|\\d{2,})$"));
    assertThat(memory.locator("canvas")).hasCount(1);
    assertThat(memory.locator(".u-legend .u-series")).hasCount(3);
    assertThat(metrics.locator(".metrics-note")).hasCount(0);
    shoot("ui-metrics.png");
  }

  @Test
  @Order(3)
  void aTerminalRunsCommandsInATaskAndShowsTheExitCode() throws Exception {
    openApp("tasks");
    String task = page.locator("table.tasks tr[data-task]").first().getAttribute("data-task");
    button("Terminal in " + task).click();
    assertThat(page.locator(".term-state")).hasText("connected");
    Locator screen = page.locator(".term-box .xterm-rows");
    // the shell's prompt arrives before anything is typed
    assertThat(screen).containsText(Pattern.compile("[$#]"));
    page.locator(".term-box .xterm").click();
    page.keyboard().type("echo hello-$((6*7))");
    page.keyboard().press("Enter");
    assertThat(screen).containsText("hello-42");
    shoot("ui-terminal.png");
    // a narrower window resizes the terminal, and the command learns its new size
    page.setViewportSize(390, 844);
    page.keyboard().type("stty size");
    page.keyboard().press("Enter");
    // (the rows' text runs together: "stty size" then "24 43" then the next prompt)
    assertThat(screen).containsText(Pattern.compile("stty size\\s*24 [2-5]\\d\\D"));
    shoot("ui-terminal-narrow.png");
    page.setViewportSize(1280, 800);
    page.keyboard().type("exit 3");
    page.keyboard().press("Enter");
    assertThat(page.locator(".term-state")).hasText("exited with code 3");
    // the way back to the service
    page.locator(".crumbs a", new Page.LocatorOptions().setHasText(APP)).click();
    assertThat(page.locator("table.tasks tr[data-task]")).hasCount(2);
    assertThat(pageErrors).isEmpty();
  }

  @Test
  @Order(4)
  void aResidentAppsVolumesTabShowsWhereEachVolumeIs() throws Exception {
    String id = "/ops/store";
    assertThat(node.api.post("/v2/apps", """
        {"id": "%s", "instances": 1, "cpus": 0.1, "mem": 32, "cmd": "sleep 3600",
         "container": {"type": "MESOS", "volumes": [
           {"containerPath": "data", "mode": "RW", "persistent": {"size": 20}}]}}
        """.formatted(id)).status()).isEqualTo(201);
    String volume = node.api.awaitTasks(id, Marathon.running(1), Duration.ofSeconds(60)).get(0)
        .at("/localVolumes/0/persistenceId").asText();
    page.navigate(node.url + "/ui/services/detail/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/tasks");
    page.locator(".tabs a", new Page.LocatorOptions().setHasText("Volumes")).click();
    Locator row = page.locator("table.volumes tr[data-volume]");
    assertThat(row).hasCount(1);
    assertThat(row).hasAttribute("data-volume", volume);
    assertThat(row).containsText("data");
    assertThat(row).containsText("20 MiB");
    assertThat(row).containsText("127.0.0.1");
    shoot("ui-volumes.png");
    // an app without persistent volumes has no such tab
    openApp("tasks");
    assertThat(page.locator(".tabs a", new Page.LocatorOptions().setHasText("Volumes"))).hasCount(0);
    assertThat(pageErrors).isEmpty();
  }

  private static void shoot(String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", name)));
  }
}
