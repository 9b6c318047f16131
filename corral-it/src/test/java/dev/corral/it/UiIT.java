package dev.corral.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser (Debian's chromium, headless) against `corral up`: a service created in the
 * Create dialog, seen running and healthy in the Services table, scaled, its task's log followed; a bad
 * definition's field-path error; the bundled catalog. The tests share one page and run in order, as a user
 * would click through. The pages update from /v2/events only: no step reloads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiIT {
  private static final String APP = "/demo/ticker";
  private static final double WAIT_MS = 30_000;

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
    ui = UiBrowser.open(1280, 720, WAIT_MS);
    browser = ui.browser;
    page = ui.page;
    pageErrors = ui.pageErrors;
    // authentication is on: the UI opens on its login page; log in as the admin `corral up` created
    page.navigate(node.url + "/ui/");
    assertThat(page.locator("h1")).containsText("Log in");
    page.getByLabel("Username").fill("admin");
    page.getByLabel("Password").fill("wrong-password");
    page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Log in")).click();
    assertThat(page.locator(".login-box .error")).containsText("wrong uid or password");
    page.getByLabel("Password").fill(node.adminPassword());
    page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Log in")).click();
    assertThat(page.locator("h1")).hasText("Dashboard");
    assertThat(page.locator(".auth-state .uid")).hasText("admin");
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

  @Test
  @Order(1)
  void theRootOpensTheDashboard() {
    page.navigate(node.url + "/");
    assertThat(page).hasURL(node.url + "/ui/");
    assertThat(page.locator("h1")).hasText("Dashboard");
    assertThat(page.locator(".live.on")).isVisible();
  }

  @Test
  @Order(2)
  void aServiceCreatedInTheDialogRunsHealthyInTheTable() {
    page.locator("[data-nav=services]").click();
    page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Create").setExact(true)).click();
    page.locator("textarea[name=definition]").fill("""
        {"id": "%s", "instances": 1, "cpus": 0.1, "mem": 32,
         "cmd": "i=0; while :; do echo tick-$i; i=$((i+1)); sleep 0.2; done",
         "healthChecks": [{"protocol": "COMMAND", "command": {"value": "true"}, "gracePeriodSeconds": 10,
                           "intervalSeconds": 1, "timeoutSeconds": 2, "delaySeconds": 0}]}
        """.formatted(APP));
    page.locator(".modal button[type=submit]").click();
    // Create goes to the new service's page; back to the table through the group folder.
    assertThat(page.locator(".crumbs")).containsText("ticker");
    page.locator("[data-nav=services]").click();
    page.locator("a.folder-link", new Page.LocatorOptions().setHasText("demo")).click();
    Locator row = page.locator("tr[data-app='" + APP + "']");
    assertThat(row.locator(".instances")).hasText("1/1");
    assertThat(row.locator(".status")).hasText("Running");
    assertThat(row.locator(".healthbar")).hasAttribute("data-healthy", "1");
    assertThat(row.locator(".seg.healthy")).isVisible();
  }

  @Test
  @Order(3)
  void scalingShowsTheNewInstances() throws Exception {
    Locator row = page.locator("tr[data-app='" + APP + "']");
    row.locator("button[title=Scale]").click();
    page.locator("input[name=instances]").fill("2");
    page.locator(".modal button[type=submit]").click();
    assertThat(row.locator(".instances")).hasText("2/2");
    assertThat(row.locator(".healthbar")).hasAttribute("data-healthy", "2");
    assertThat(node.api.get("/v2/apps" + APP).json().path("app").path("instances").asInt()).isEqualTo(2);

  }

  @Test
  @Order(4)
  void theDetailPageListsTasksAndFollowsALog() {
    page.locator("tr[data-app='" + APP + "'] td a").first().click();
    Locator tasks = page.locator("table.tasks tr[data-task]");
    assertThat(tasks).hasCount(2);
    assertThat(tasks.first()).containsText("RUNNING");
    assertThat(tasks.first()).containsText("Healthy");
    tasks.first().locator("a", new Locator.LocatorOptions().setHasText("stdout")).click();
    assertThat(page.locator(".log-state")).hasText("following");
    assertThat(page.locator("pre.log .line").first()).containsText("tick-");
    // Following: lines keep arriving after the tail.
    int before = page.locator("pre.log .line").count();
    assertThat(page.locator("pre.log .line").nth(before + 2)).containsText("tick-");
    shoot("ui-logs.png");
  }

  @Test
  @Order(5)
  void theDebugTabSaysWhyAServiceIsWaiting() throws Exception {
    // More memory than the node has: it waits, and the offers say why.
    assertThat(node.api.post("/v2/apps", """
        {"id": "/big", "instances": 1, "cpus": 0.1, "mem": 100000, "cmd": "sleep 1000"}
        """).status()).isEqualTo(201);
    page.locator("[data-nav=services]").click();
    Locator row = page.locator("tr[data-app='/big']");
    assertThat(row.locator(".status")).hasText("Waiting");
    assertThat(row.locator(".instances")).hasText("0/1");
    assertThat(page.locator("tr.folder")).containsText("demo");
    // The picture in docs/ui.md: a group folder, a healthy service and a waiting one.
    Path shot = Paths.get("target", "ui-services.png");
    Files.createDirectories(shot.getParent());
    page.screenshot(new Page.ScreenshotOptions().setPath(shot));
    assertThat(Files.size(shot)).isGreaterThan(1000);

    row.locator("td a").first().click();
    page.locator(".tabs a", new Page.LocatorOptions().setHasText("Debug")).click();
    Locator offers = page.locator("table.offers tbody tr");
    assertThat(offers.first()).containsText("127.0.0.1");
    assertThat(offers.first().locator(".reason")).containsText(new String[] {"InsufficientMemory"});
    assertThat(page.locator("table.funnel tr.declined")).containsText("InsufficientMemory");
    assertThat(page.locator(".debug")).containsText("No task of this service has failed.");
    shoot("ui-debug.png");
  }

  @Test
  @Order(6)
  void aBadDefinitionShowsItsFieldPathError() {
    page.locator("[data-nav=services]").click();
    page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Create").setExact(true)).click();
    page.locator("textarea[name=definition]").fill("""
        {"id": "/bad", "instances": 1, "cpus": -1, "mem": 32, "cmd": "sleep 1000"}
        """);
    page.locator(".modal button[type=submit]").click();
    Locator errors = page.locator(".modal .field-errors li");
    assertThat(errors.first()).isVisible();
    assertThat(page.locator(".modal .field-errors .path", new Page.LocatorOptions().setHasText("/cpus"))).hasCount(1);
    // Not valid JSON never reaches the server.
    page.locator("textarea[name=definition]").fill("{\"id\": ");
    page.locator(".modal button[type=submit]").click();
    assertThat(page.locator(".modal .error")).containsText("Not valid JSON");
    page.locator(".modal button[aria-label=Close]").click();
    assertThat(page.locator("tr[data-app='/bad']")).hasCount(0);
  }

  @Test
  @Order(7)
  void theCatalogShowsTheBundledPackagesWithIcons() {
    page.locator("[data-nav=catalog]").click();
    for (String name : List.of("kafka", "flink", "zookeeper", "spark")) {
      Locator tile = page.locator("a.tile[data-package=" + name + "]");
      assertThat(tile).isVisible();
      Locator icon = tile.locator("img.pkg-icon");
      assertThat(icon).hasAttribute("src", java.util.regex.Pattern.compile("^data:image/"));
      assertThat(icon).hasJSProperty("complete", true);
      assertThat(((Number) icon.evaluate("img => img.naturalWidth")).intValue()).as(name).isGreaterThan(0);
    }
    // A package page: the install form comes from config.json, defaults filled in.
    page.locator("a.tile[data-package=kafka]").click();
    assertThat(page.locator("form.install input[name='opt-service.name']")).hasValue("kafka",
        new LocatorAssertions.HasValueOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("h1")).containsText("kafka");
    shoot("ui-package.png");
  }

  @Test
  @Order(8)
  void aWaitingDeploymentRollsBackAndTheDashboardCountsTasks() {
    page.locator("[data-nav=deployments]").click();
    Locator deployment = page.locator("table.deployments tbody tr", new Page.LocatorOptions().setHasText("/big"));
    deployment.locator("button", new Locator.LocatorOptions().setHasText("Rollback")).click();
    page.locator(".modal button.danger").click();
    // Rolling back a create removes the app; the list empties as the events arrive.
    assertThat(page.locator("table.deployments")).containsText("No deployment is running.");
    page.locator("[data-nav=services]").click();
    assertThat(page.locator("tr.folder")).containsText("demo");
    assertThat(page.locator("tr[data-app='/big']")).hasCount(0);
    page.locator("[data-nav=dashboard]").click();
    assertThat(page.locator(".gauge", new Page.LocatorOptions().setHasText("Tasks")).locator(".gauge-value")).hasText("2");
    assertThat(page.locator(".gauge", new Page.LocatorOptions().setHasText("CPU")).locator(".gauge-value"))
        .containsText(" of 4");
    shoot("ui-dashboard.png");
    // every agent, with its resources in use and the services it runs
    page.locator("[data-nav=nodes]").click();
    Locator agent = page.locator("table.nodes tbody tr", new Page.LocatorOptions().setHasText("127.0.0.1"));
    assertThat(agent).containsText("CONNECTED");
    assertThat(agent).containsText("/demo/ticker");
    assertThat(pageErrors).isEmpty();
  }

  @Test
  @Order(9)
  void loggingOutReturnsToTheLoginPageAndWithoutAuthenticationTheUiSaysSo() throws Exception {
    page.locator(".auth-state button", new Page.LocatorOptions().setHasText("Log out")).click();
    assertThat(page.locator("h1")).containsText("Log in");
    try (SingleNode open = SingleNode.start(dir.resolve("open"), "cpus:1;mem:256;disk:50", 2, "--no-auth")) {
      Page other = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 720));
      other.navigate(open.url + "/ui/");
      assertThat(other.locator("h1")).hasText("Dashboard");
      assertThat(other.locator(".auth-state.off")).hasText("Authentication is off");
      assertThat(other.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)).containsText("--no-auth");
      // Settings has no accounts to manage then
      other.locator("[data-nav=settings]").click();
      other.locator("[data-tab=users]").click();
      assertThat(other.locator("section.users [role=status]")).containsText("Authentication is off");
      other.close();
    }
  }

  /** Pictures of the other pages, beside the tests' output (not compared: for people and docs). */
  private static void shoot(String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", name)));
  }
}
