package dev.corral.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Debian's chromium, headless, driven by Playwright with one page: what every UI test starts with. */
final class UiBrowser implements AutoCloseable {
  final Playwright playwright;
  final Browser browser;
  final Page page;
  /** Uncaught errors of the page's scripts; a test ends by asserting there were none. */
  final List<String> pageErrors = new CopyOnWriteArrayList<>();

  private UiBrowser(int width, int height, double timeoutMs) {
    playwright = Playwright.create();
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Paths.get("/usr/bin/chromium"))
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run")));
    page = browser.newPage(new Browser.NewPageOptions().setViewportSize(width, height));
    page.setDefaultTimeout(timeoutMs);
    PlaywrightAssertions.setDefaultAssertionTimeout(timeoutMs);
    page.onPageError(pageErrors::add);
  }

  static UiBrowser open(int width, int height, double timeoutMs) {
    return new UiBrowser(width, height, timeoutMs);
  }

  /** Logs in on the UI's login page as the admin `corral up` created, and waits for the Dashboard. */
  void logInAsAdmin(SingleNode node) throws java.io.IOException {
    page.navigate(node.url + "/ui/");
    page.getByLabel("Username").fill("admin");
    page.getByLabel("Password").fill(node.adminPassword());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true)).click();
    assertThat(page.locator("h1")).hasText("Dashboard");
  }

  @Override
  public void close() {
    playwright.close();
  }
}
