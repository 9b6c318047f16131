package dev.corral.ui;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Serves the web UI from the classpath: the app's own files under {@code /ui/}, the libraries it imports
 * under {@code /ui/vendor/<library>/…} (Preact, uPlot and xterm.js from their webjars, htm from this jar), and
 * {@code index.html} for every other path under {@code /ui/} so that the browser's history routes survive
 * a reload. {@code /} redirects to {@code /ui/}.
 *
 * <p>Nothing is fetched from outside the cluster: the page's import map points at {@code /ui/vendor/}.
 * Stateless and thread-safe; files are read from the classpath on each request (they are small, and the
 * jar's entries are already cached by the class loader).
 */
public final class WebUi {
  private static final String ROOT = "corral-ui/";
  private static final String INDEX = ROOT + "index.html";
  /** The webjars the UI imports; their version directory is read from the webjar's own pom.properties. */
  private static final Map<String, String> WEBJARS = Map.of("preact", "preact", "uplot", "uplot", "xterm", "xterm");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "json", "application/json");

  private final ClassLoader loader = WebUi.class.getClassLoader();
  private final Map<String, String> webjarDirs = Map.copyOf(
      WEBJARS.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
          e -> "META-INF/resources/webjars/" + e.getValue() + "/" + webjarVersion(e.getValue()) + "/")));

  /** Adds the UI's routes to a server's configuration, beside the APIs. */
  public void install(JavalinConfig config) {
    config.routes.get("/", ctx -> ctx.redirect("/ui/", HttpStatus.FOUND));
    // Javalin ignores trailing slashes when matching, so /ui and /ui/ both land here: redirect the first
    // only, since the page's relative addresses need the slash.
    config.routes.get("/ui", ctx -> {
      if (ctx.path().endsWith("/")) {
        serve(ctx, "");
      } else {
        ctx.redirect("/ui/", HttpStatus.FOUND);
      }
    });
    config.routes.get("/ui/<path>", ctx -> serve(ctx, ctx.pathParam("path")));
  }

  private void serve(Context ctx, String path) {
    if (path.isEmpty() || path.endsWith("/")) {
      path = path + "index.html";
    }
    if (path.contains("..") || path.contains("\\") || path.startsWith("/")) {
      ctx.status(HttpStatus.NOT_FOUND).result("not found");
      return;
    }
    String resource = resolve(path);
    if (resource == null) {
      // A route of the single-page app (/ui/services/…): the page itself, which reads the address.
      // Missing files with an extension are real 404s, so a typo in an import fails loudly.
      if (extension(path) != null) {
        ctx.status(HttpStatus.NOT_FOUND).result("not found: /ui/" + path);
        return;
      }
      resource = INDEX;
    }
    String type = TYPES.getOrDefault(extension(resource), "application/octet-stream");
    // index.html is re-read on each load so an upgrade shows at once; modules are revalidated too, since
    // their names carry no content hash.
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(type).result(read(resource));
  }

  /** The classpath resource for a path under /ui/, or null when there is none. */
  private String resolve(String path) {
    if (path.startsWith("vendor/")) {
      String rest = path.substring("vendor/".length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        String dir = webjarDirs.get(rest.substring(0, slash));
        if (dir != null && loader.getResource(dir + rest.substring(slash + 1)) != null) {
          return dir + rest.substring(slash + 1);
        }
      }
    }
    String own = ROOT + path;
    return loader.getResource(own) != null && !own.endsWith("/") ? own : null;
  }

  private byte[] read(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource vanished: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String extension(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot > slash ? path.substring(dot + 1) : null;
  }

  private static String webjarVersion(String artifact) {
    String props = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(props)) {
      if (in == null) {
        throw new IllegalStateException("webjar " + artifact + " is not on the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
