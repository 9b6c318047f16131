package dev.corral.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UI's routes on a real server: files, vendored libraries, the single-page fallback, redirects. */
class WebUiTest {
  private static Javalin server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/v2/apps", ctx -> ctx.contentType("application/json").result("[]"));
      new WebUi().install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void rootAndBareUiRedirectToTheUi() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(302);
    assertThat(get("/").headers().firstValue("Location")).hasValue("/ui/");
    assertThat(get("/ui").headers().firstValue("Location")).hasValue("/ui/");
  }

  @Test
  void indexHasTheImportMapAndTheApp() throws Exception {
    HttpResponse<String> index = get("/ui/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(index.body()).contains("importmap", "/ui/vendor/preact/", "/ui/js/main.js");
  }

  @Test
  void everyImportMapEntryIsServedAsJavaScript() throws Exception {
    Matcher m = Pattern.compile("\"(/ui/vendor/[^\"]+\\.m?js)\"").matcher(get("/ui/").body());
    int found = 0;
    while (m.find()) {
      HttpResponse<String> lib = get(m.group(1));
      assertThat(lib.statusCode()).as(m.group(1)).isEqualTo(200);
      assertThat(lib.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
      found++;
    }
    assertThat(found).isGreaterThanOrEqualTo(5);
    // the terminal's stylesheet comes from its webjar too
    assertThat(get("/ui/vendor/xterm/css/xterm.css").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPagesUnderUiServeTheApp() throws Exception {
    HttpResponse<String> page = get("/ui/services/detail/%2Fweb/debug");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("importmap");
  }

  @Test
  void missingFilesAndEscapesAreNotFound() throws Exception {
    assertThat(get("/ui/js/nope.js").statusCode()).isEqualTo(404);
    assertThat(get("/ui/vendor/preact/nope.mjs").statusCode()).isEqualTo(404);
    assertThat(get("/ui/..%2F..%2Fdev/corral/ui/WebUi.class").statusCode()).isEqualTo(404);
  }

  @Test
  void apiRoutesAreUntouched() throws Exception {
    assertThat(get("/v2/apps").body()).isEqualTo("[]");
  }

  @Test
  void noFileOfTheUiLoadsAnythingFromOutsideTheCluster() throws Exception {
    for (String file : List.of("index.html", "app.css", "js/main.js", "js/api.js", "js/services.js", "js/catalog.js",
        "js/detail.js", "js/dashboard.js", "js/deployments.js", "js/dialogs.js", "js/format.js", "js/logs.js",
        "js/nodes.js", "js/hooks.js", "js/html.js", "js/router.js", "js/diff.js", "js/metrics.js", "js/terminal.js",
        "js/pod.js", "js/secrets.js")) {
      try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream("corral-ui/" + file)) {
        assertThat(in).as(file).isNotNull();
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(text).as(file).doesNotContain("http://", "https://", "//cdn", "unpkg", "jsdelivr");
      }
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
