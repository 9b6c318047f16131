package dev.corral.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import io.javalin.http.Context;

/** The gateway's own answers (errors), as JSON {@code {"message": …}} like the rest of the API. */
final class Replies {
  private Replies() {}

  static void json(Context ctx, int status, String message) {
    ObjectNode body = Json.mapper().createObjectNode().put("message", message);
    ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
  }

  /** A refusal of the {@link AccessCheck}, in the same shape as every other 401 and 403 of the gateway. */
  static void denial(Context ctx, AccessCheck.Denial d) {
    if (d.status() == 401) {
      ctx.header("WWW-Authenticate", "acsjwt realm=\"corral\"");
    }
    ctx.status(d.status()).contentType("application/json; charset=utf-8").result(d.json());
  }

  /** For browsers, which is who reaches {@code /service/<name>/}. */
  static void page(Context ctx, int status, String title, String message) {
    ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html><head><title>"
        + escape(title) + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(message)
        + "</p></body></html>\n");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
