package dev.corral.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
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
 * The operator pages of the web UI in a real browser against `corral up`: a job created and run from the
 * Jobs page, its run seen in the history; package repositories, secrets and users managed in Settings; the node
 * drained and reactivated on the Nodes page; access management in Settings (a group with a member and a grant,
 * a service account); a maintenance window scheduled for the node on the Nodes page, its machine taken down
 * and brought up, the window removed. Shares one logged-in page, in order, as UiIT does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiOpsIT {
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
  void aJobCreatedInTheDialogRunsAndItsRunIsInTheHistory() throws Exception {
    page.locator("[data-nav=jobs]").click();
    assertThat(page.locator("table.jobs")).containsText("No jobs yet.");
    // a bad definition first: the error names the field
    button("Create job").click();
    page.locator("textarea[name=definition]").fill("""
        {"id": "hello", "run": {"cmd": "echo hi", "cpus": -1, "mem": 32, "disk": 0}}
        """);
    page.locator(".modal button[type=submit]").click();
    assertThat(page.locator(".modal .field-errors .path").first()).containsText("cpus");
    page.locator("textarea[name=definition]").fill("""
        {"id": "hello", "description": "Says hello",
         "run": {"cmd": "echo hello-from-job; sleep 1", "cpus": 0.1, "mem": 32, "disk": 0}}
        """);
    page.locator(".modal button[type=submit]").click();
    // Create goes to the job's page
    assertThat(page.locator(".crumbs")).containsText("hello");
    assertThat(page.locator("table.runs.history")).containsText("No run has finished yet.");
    button("Run now").click();
    Locator finished = page.locator("table.runs.history tbody tr[data-run]");
    assertThat(finished).hasCount(1);
    assertThat(finished.first()).containsText("Succeeded");
    assertThat(page.locator("table.runs.active")).containsText("No run is active.");
    // a schedule: a bad cron is refused with its field, a good one shows its next run
    page.locator(".add-schedule input[name=cron]").fill("not a cron");
    button("Add schedule").click();
    assertThat(page.locator(".page > .error")).containsText("cron");
    page.locator(".add-schedule input[name=cron]").fill("0 3 * * *");
    button("Add schedule").click();
    Locator schedule = page.locator("table.schedules tr[data-schedule=default]");
    assertThat(schedule).containsText("0 3 * * *");
    assertThat(schedule.locator(".next-run")).not().hasText("—");
    shoot("ui-job.png");
    button("Remove schedule default").click();
    assertThat(schedule).hasCount(0);
    // the list counts it
    page.locator("[data-nav=jobs]").click();
    Locator row = page.locator("tr[data-job=hello]");
    assertThat(row.locator(".successes")).hasText("1");
    assertThat(row.locator(".status")).hasText("Succeeded");
    assertThat(row).containsText("Says hello");
    // Run now from the list: a second successful run
    button("Run hello now").click();
    assertThat(row.locator(".successes")).hasText("2");
    shoot("ui-jobs.png");
    assertThat(node.api.get("/v1/jobs/hello?embed=historySummary").json().path("historySummary")
        .path("successCount").asInt()).isEqualTo(2);
    // a long run is stopped from the job's page and leaves the active runs
    page.locator("tr[data-job=hello] td a").first().click();
    // Edit: the definition without what GET embeds; the new command is shown
    button("Edit").click();
    Locator definition = page.locator("textarea[name=definition]");
    assertThat(definition).hasValue(java.util.regex.Pattern.compile("echo hello-from-job"));
    assertThat(definition.inputValue()).doesNotContain("historySummary").doesNotContain("activeRuns");
    definition.fill("""
        {"id": "hello", "description": "Says hello", "run": {"cmd": "sleep 600", "cpus": 0.1, "mem": 32, "disk": 0}}
        """);
    page.locator(".modal button[type=submit]").click();
    assertThat(page.locator(".page code.mono")).hasText("sleep 600");
    button("Run now").click();
    Locator active = page.locator("table.runs.active tbody tr[data-run]");
    assertThat(active).hasCount(1);
    assertThat(active.first()).containsText("ACTIVE");
    active.first().getByRole(AriaRole.BUTTON).click();
    assertThat(active).hasCount(0);
    assertThat(finished).hasCount(3);
    page.locator("[data-nav=jobs]").click();
    // Delete
    button("Delete hello").click();
    page.locator(".modal button.danger").click();
    assertThat(page.locator("table.jobs")).containsText("No jobs yet.");
    assertThat(node.api.get("/v1/jobs/hello").status()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void packageRepositoriesAreAddedAndRemovedInSettings() throws Exception {
    page.locator("[data-nav=settings]").click();
    Locator repos = page.locator("table.repos tbody tr[data-repo]");
    assertThat(repos.first()).isVisible();
    int before = repos.count();
    // an unreachable repository is refused with the reason
    page.locator("input[name=repo-name]").fill("broken");
    page.locator("input[name=repo-uri]").fill("http://127.0.0.1:1/repo.json");
    button("Add repository").click();
    assertThat(page.locator(".add-repo + .error")).containsText("cannot reach repository");
    assertThat(page.locator("tr[data-repo=broken]")).hasCount(0);
    // a second copy of the bundled catalog is accepted
    JsonNode list = node.api.post("/package/repository/list", "{}").json().path("repositories");
    String uri = list.get(0).path("uri").asText();
    Path copy = dir.resolve("copy-repo.json");
    if (uri.startsWith("file:")) {
      java.nio.file.Files.copy(Paths.get(java.net.URI.create(uri)), copy);
    } else {
      java.nio.file.Files.writeString(copy, new String(java.net.URI.create(uri).toURL().openStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
    page.locator("input[name=repo-name]").fill("copy");
    page.locator("input[name=repo-uri]").fill(copy.toUri().toString());
    button("Add repository").click();
    assertThat(page.locator("tr[data-repo=copy]")).containsText("copy-repo.json");
    assertThat(repos).hasCount(before + 1);
    shoot("ui-settings.png");
    button("Remove repository copy").click();
    page.locator(".modal button.danger").click();
    assertThat(page.locator("tr[data-repo=copy]")).hasCount(0);
    assertThat(repos).hasCount(before);
  }

  @Test
  @Order(3)
  void aUserCreatedInSettingsIsListedAndCanLogIn() throws Exception {
    page.locator("[data-nav=settings]").click();
    page.locator("[data-tab=users]").click();
    assertThat(page.locator("tr[data-user=admin]")).containsText("you");
    page.locator(".add-user input[name=uid]").fill("alice");
    page.locator(".add-user input[name=password]").fill("alice-secret-pw-1");
    page.locator(".add-user input[name=description]").fill("Alice Operator");
    button("Create user").click();
    Locator alice = page.locator("tr[data-user=alice]");
    assertThat(alice).containsText("Alice Operator");
    button("Permissions of admin").click();
    assertThat(page.locator("[data-permissions=admin] table tbody tr").first()).isVisible();
    assertThat(node.api.get("/acs/api/v1/users/alice").status()).isEqualTo(200);
    button("Delete user alice").click();
    page.locator(".modal button.danger").click();
    assertThat(alice).hasCount(0);
  }

  @Test
  @Order(4)
  void theNodeIsDrainedAndReactivatedOnTheNodesPage() {
    page.locator("[data-nav=nodes]").click();
    Locator agent = page.locator("table.nodes tbody tr", new Page.LocatorOptions().setHasText("127.0.0.1"));
    assertThat(agent.locator(".maint")).hasText("active");
    button("Drain 127.0.0.1").click();
    assertThat(agent.locator(".maint")).hasText(java.util.regex.Pattern.compile("draining|drained"));
    shoot("ui-nodes.png");
    button("Reactivate 127.0.0.1").click();
    assertThat(agent.locator(".maint")).hasText("active");
    button("Deactivate 127.0.0.1").click();
    assertThat(agent.locator(".maint")).hasText("deactivated");
    assertThat(button("Drain 127.0.0.1")).hasCount(0);
    button("Reactivate 127.0.0.1").click();
    assertThat(agent.locator(".maint")).hasText("active");
    assertThat(pageErrors).isEmpty();
  }

  @Test
  @Order(5)
  void aGroupGetsAMemberAndAGrantThatIsRevokedAndTheGroupDeleted() throws Exception {
    String rid = "corral:service:marathon:/g/*";
    page.locator("[data-nav=settings]").click();
    // a user to add to the group
    page.locator("[data-tab=users]").click();
    page.locator(".add-user input[name=uid]").fill("bob");
    page.locator(".add-user input[name=password]").fill("bob-secret-pw-1");
    button("Create user").click();
    assertThat(page.locator("tr[data-user=bob]")).hasCount(1);

    page.locator("[data-tab=groups]").click();
    assertThat(page.locator("table.groups")).containsText("No group yet.");
    // the server's reason for a bad name is shown
    page.getByLabel("Group ID").fill("Bad Name");
    button("Create group").click();
    assertThat(page.locator(".add-group + .error")).containsText("gid");
    page.getByLabel("Group ID").fill("ops");
    page.locator(".add-group input[name=group-description]").fill("Operators");
    button("Create group").click();
    Locator group = page.locator("tr[data-group=ops]");
    assertThat(group).containsText("Operators");
    assertThat(page.locator(".add-group + .error")).hasCount(0);

    // a member, chosen from the accounts
    Locator panel = page.locator("[data-group-panel=ops]");
    assertThat(panel).isVisible();
    panel.getByLabel("Account").selectOption("bob");
    button("Add member").click();
    assertThat(panel.locator("li[data-member=bob]")).hasCount(1);
    assertThat(group.locator(".members")).hasText("1");

    // a grant: refused without the corral: prefix, then read on the /g folder
    panel.getByLabel("Resource").fill("marathon:/g/*");
    button("Grant to ops").click();
    assertThat(panel.locator(".grant-form + .error")).containsText("corral:");
    panel.getByLabel("Resource").fill(rid);
    assertThat(panel.getByLabel("read")).isChecked();
    button("Grant to ops").click();
    Locator grant = panel.locator("tr[data-rid='" + rid + "']");
    assertThat(grant.locator(".grant-actions")).hasText("read");
    assertThat(node.api.get("/acs/api/v1/users/bob/permissions").json().path("groups").get(0).path("rid").asText())
        .isEqualTo(rid);
    shoot("ui-groups.png");
    // on a phone-sized screen the forms wrap and stay usable
    page.setViewportSize(390, 844);
    assertThat(button("Grant to ops")).isVisible();
    assertThat(panel.getByLabel("Resource")).isVisible();
    shoot("ui-groups-narrow.png");
    page.setViewportSize(1280, 720);

    // bob's permissions list it, through the group
    page.locator("[data-tab=users]").click();
    button("Permissions of bob").click();
    Locator bobs = page.locator("[data-permissions=bob]");
    assertThat(bobs).containsText("Groups: ops");
    assertThat(bobs.locator("tr[data-rid='" + rid + "']")).containsText("group ops");
    // a direct grant to bob, with two actions, revoked again
    bobs.getByLabel("Resource").fill("corral:jobs");
    bobs.getByLabel("update").check();
    button("Grant to bob").click();
    assertThat(bobs.locator("tr[data-rid='corral:jobs'] .grant-actions")).hasText("read, update");
    button("Revoke corral:jobs from bob").click();
    page.locator(".modal button.danger").click();
    assertThat(bobs.locator("tr[data-rid='corral:jobs']")).hasCount(0);

    // revoked, the member removed, the group deleted
    page.locator("[data-tab=groups]").click();
    button("Manage group ops").click();
    button("Revoke " + rid + " from ops").click();
    page.locator(".modal button.danger").click();
    assertThat(grant).hasCount(0);
    assertThat(node.api.get("/acs/api/v1/users/bob/permissions").json().path("groups")).isEmpty();
    button("Remove bob from ops").click();
    assertThat(panel.locator("li[data-member=bob]")).hasCount(0);
    assertThat(group.locator(".members")).hasText("0");
    button("Delete group ops").click();
    page.locator(".modal button.danger").click();
    assertThat(group).hasCount(0);
    assertThat(node.api.get("/acs/api/v1/groups/ops").status()).isEqualTo(404);
  }

  @Test
  @Order(6)
  void aServiceAccountIsCreatedWithItsPublicKeyAndDeleted() throws Exception {
    page.locator("[data-nav=settings]").click();
    page.locator("[data-tab=service-accounts]").click();
    assertThat(page.locator("table.service-accounts")).containsText("No service account yet.");
    page.getByLabel("Account ID").fill("ci-bot");
    page.getByLabel("Public key (PEM)").fill("not a key");
    button("Create service account").click();
    assertThat(page.locator(".add-service-account + .error")).containsText("public_key");
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    page.getByLabel("Public key (PEM)").fill(pem);
    page.locator("input[name=sa-description]").fill("Deploys from CI");
    button("Create service account").click();
    Locator account = page.locator("tr[data-service-account=ci-bot]");
    assertThat(account).containsText("Deploys from CI");
    assertThat(node.api.get("/acs/api/v1/users/ci-bot").json().path("is_service").asBoolean()).isTrue();
    // not among the users
    page.locator("[data-tab=users]").click();
    assertThat(page.locator("tr[data-user=admin]")).hasCount(1);
    assertThat(page.locator("tr[data-user=ci-bot]")).hasCount(0);
    page.locator("[data-tab=service-accounts]").click();
    button("Permissions of ci-bot").click();
    assertThat(page.locator("[data-permissions=ci-bot]")).containsText("No permission.");
    shoot("ui-service-accounts.png");
    button("Delete service account ci-bot").click();
    page.locator(".modal button.danger").click();
    assertThat(account).hasCount(0);
    assertThat(pageErrors).isEmpty();
  }

  @Test
  @Order(7)
  void aMaintenanceWindowIsScheduledForTheNodeTakenDownBroughtUpAndRemoved() throws Exception {
    page.locator("[data-nav=nodes]").click();
    Locator windows = page.locator("table.windows tbody tr[data-window]");
    assertThat(page.locator("table.windows")).containsText("No maintenance is scheduled.");
    // nothing selected: the form says what to do
    button("Schedule maintenance").click();
    assertThat(page.locator(".add-window + .error")).containsText("Select the nodes");
    page.getByLabel("Select 127.0.0.1").check();
    page.locator("input[name=window-start]").fill("2030-01-02T03:00");
    page.locator("input[name=window-hours]").fill("2");
    button("Schedule maintenance").click();
    assertThat(windows).hasCount(1);
    assertThat(windows.first().locator(".machines")).hasText("127.0.0.1");
    assertThat(windows.first().locator(".duration")).hasText("2 h");
    assertThat(windows.first()).containsText("upcoming");
    JsonNode window = node.api.get("/master/maintenance/schedule").json().path("windows").get(0);
    assertThat(window.path("machine_ids").get(0).path("hostname").asText()).isEqualTo("127.0.0.1");
    assertThat(window.path("unavailability").path("duration").path("nanoseconds").asLong()).isEqualTo(7_200_000_000_000L);
    // the browser's local time, to the nanosecond
    long start = java.time.LocalDateTime.parse("2030-01-02T03:00").atZone(java.time.ZoneId.systemDefault())
        .toInstant().toEpochMilli();
    assertThat(window.path("unavailability").path("start").path("nanoseconds").asLong()).isEqualTo(start * 1_000_000L);
    shoot("ui-maintenance.png");
    // the window's machines taken down (the agent drains) and brought up again
    Locator agent = page.locator("table.nodes tbody tr", new Page.LocatorOptions().setHasText("127.0.0.1"));
    button("Take down 127.0.0.1").click();
    page.locator(".modal button.danger").click();
    assertThat(agent.locator(".maint")).hasText(java.util.regex.Pattern.compile("draining|drained"));
    button("Bring up 127.0.0.1").click();
    assertThat(agent.locator(".maint")).hasText("active");
    // a second window is kept when the first is removed
    page.getByLabel("Select 127.0.0.1").check();
    page.locator("input[name=window-start]").fill("2031-05-06T07:30");
    page.locator("input[name=window-hours]").fill("0.5");
    button("Schedule maintenance").click();
    assertThat(windows).hasCount(2);
    assertThat(windows.nth(1).locator(".duration")).hasText("30 min");
    button("Remove window 1").click();
    assertThat(windows).hasCount(1);
    assertThat(windows.first().locator(".duration")).hasText("30 min");
    JsonNode left = node.api.get("/master/maintenance/schedule").json().path("windows");
    assertThat(left).hasSize(1);
    assertThat(left.get(0).path("unavailability").path("start").path("nanoseconds").asLong()).isEqualTo(
        java.time.LocalDateTime.parse("2031-05-06T07:30").atZone(java.time.ZoneId.systemDefault()).toInstant()
            .toEpochMilli() * 1_000_000L);
    button("Remove window 1").click();
    assertThat(page.locator("table.windows")).containsText("No maintenance is scheduled.");
    assertThat(node.api.get("/master/maintenance/schedule").json().path("windows")).isEmpty();
    assertThat(pageErrors).isEmpty();
  }

  @Test
  @Order(8)
  void aSecretIsCreatedReplacedAndDeletedInSettingsAndItsValueNeverShown() throws Exception {
    page.locator("[data-nav=settings]").click();
    page.locator("[data-tab=secrets]").click();
    assertThat(page.locator("table.secrets")).containsText("No secret yet.");
    page.locator(".add-secret input[name=secret-path]").fill("bad path");
    page.locator(".add-secret textarea[name=secret-value]").fill("x");
    button("Create secret").click();
    assertThat(page.locator(".add-secret + .error")).containsText("not a secret path");

    page.locator(".add-secret input[name=secret-path]").fill("db/password");
    page.locator(".add-secret textarea[name=secret-value]").fill("first-value-123");
    button("Create secret").click();
    Locator row = page.locator("tr[data-secret='db/password']");
    assertThat(row).containsText("db/password");
    assertThat(node.api.get("/secrets/v1/secret/default/db/password").json().path("value").asText())
        .isEqualTo("first-value-123");

    button("Replace secret db/password").click();
    page.locator(".add-secret textarea[name=secret-value]").fill("second-value-456");
    button("Replace value").last().click();
    assertThat(page.locator(".add-secret input[name=secret-path]")).hasValue("");
    assertThat(node.api.get("/secrets/v1/secret/default/db/password").json().path("value").asText())
        .isEqualTo("second-value-456");
    assertThat(page.locator("main")).not().containsText("second-value-456");
    shoot("ui-secrets.png");

    button("Delete secret db/password").click();
    page.locator(".modal button.danger").click();
    assertThat(row).hasCount(0);
    assertThat(node.api.get("/secrets/v1/secret/default/db/password").status()).isEqualTo(404);
    assertThat(pageErrors).isEmpty();
  }

  private static void shoot(String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", name)));
  }
}
