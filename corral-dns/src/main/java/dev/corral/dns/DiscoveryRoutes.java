package dev.corral.dns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import dev.corral.vip.VipJson;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The HTTP discovery endpoint: the DNS data as JSON, read from the same table.
 *
 * <ul>
 *   <li>{@code GET /v1/discovery/services}: {@code {"domain", "generation", "services": [SERVICE…]}}</li>
 *   <li>{@code GET /v1/discovery/services/{name}}: one SERVICE; {@code name} is the DNS label
 *       ({@code app-b-a}) or the app id with slashes encoded ({@code %2Fa%2Fb%2Fapp}); 404 when unknown</li>
 *   <li>{@code GET /v1/discovery/vips}: {@code {"index", "vips": [{"name", "ip", "port", "protocol",
 *       "backends": ["ip:port"…]}]}} ({@link VipJson}); with {@code ?index=N} the answer waits until the index
 *       differs from N, at most {@code wait} seconds (default 30, at most 300): how agents follow the table</li>
 * </ul>
 * A SERVICE is {@code {"app", "name", "srv", "vips": [...], "tasks": [{"id", "host", "ip", "ports",
 * "running", "healthy"}], "endpoints": [{"service", "host", "ip", "port"}]}}, the last in the shape of
 * Mesos-DNS's {@code /v1/services/_app._tcp.marathon.mesos}: one entry per running task and port.
 */
public final class DiscoveryRoutes {
  private static final long MAX_WAIT_SECONDS = 300;
  private final Supplier<RecordTable> table;
  private final VipWatch vips;

  DiscoveryRoutes(Supplier<RecordTable> table, VipWatch vips) {
    this.table = table;
    this.vips = vips;
  }

  public void install(JavalinConfig config) {
    config.routes.get("/v1/discovery/services", this::all);
    config.routes.get("/v1/discovery/services/{name}", this::one);
    config.routes.get("/v1/discovery/vips", this::vips);
  }

  private void all(Context ctx) {
    RecordTable t = table.get();
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("domain", domain(t));
    out.put("generation", t.generation());
    ArrayNode services = out.putArray("services");
    for (DiscoveredApp app : t.apps()) {
      services.add(service(t, app));
    }
    ctx.json(out);
  }

  private void one(Context ctx) {
    String name = ctx.pathParam("name");
    RecordTable t = table.get();
    for (DiscoveredApp app : t.apps()) {
      if (app.appId().equals(name) || DnsNames.flatten(app.appId()).equals(name)) {
        ctx.json(service(t, app));
        return;
      }
    }
    ctx.status(404).json(Json.mapper().createObjectNode().put("message", "no service named " + name));
  }

  private void vips(Context ctx) {
    String indexParam = ctx.queryParam("index");
    if (indexParam == null) {
      VipWatch.Snapshot now = vips.current();
      ctx.json(VipJson.write(now.index(), now.routes()));
      return;
    }
    long index;
    long wait;
    try {
      index = Long.parseLong(indexParam);
    } catch (NumberFormatException e) {
      bad(ctx, "index: must be a whole number (the index of an earlier answer), got '" + indexParam + "'");
      return;
    }
    String waitParam = ctx.queryParamAsClass("wait", String.class).getOrDefault("30");
    try {
      wait = Long.parseLong(waitParam);
    } catch (NumberFormatException e) {
      wait = -1;
    }
    if (wait < 0 || wait > MAX_WAIT_SECONDS) {
      bad(ctx, "wait: must be seconds from 0 to " + MAX_WAIT_SECONDS + ", got '" + waitParam + "'");
      return;
    }
    Duration limit = Duration.ofSeconds(wait);
    ctx.future(() -> vips.after(index, limit).thenAccept(s -> ctx.json(VipJson.write(s.index(), s.routes()))));
  }

  private static void bad(Context ctx, String message) {
    ctx.status(400).json(Json.mapper().createObjectNode().put("message", message));
  }

  private static ObjectNode service(RecordTable t, DiscoveredApp app) {
    String domain = domain(t);
    String label = DnsNames.flatten(app.appId());
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("app", app.appId());
    o.put("name", label + ".marathon." + domain);
    o.put("srv", "_" + label + "._tcp.marathon." + domain);
    ArrayNode vips = o.putArray("vips");
    for (DiscoveredApp.Port p : app.ports()) {
      for (Vip v : p.vips()) {
        for (RecordTable.VipEntry e : t.vips()) {
          if (e.vip().equals(v)) {
            vips.addObject().put("name", e.name()).put("ip", e.address().getHostAddress()).put("port", v.port())
                .put("protocol", e.protocol()).put("portIndex", p.index());
          }
        }
      }
    }
    ArrayNode tasks = o.putArray("tasks");
    ArrayNode endpoints = o.putArray("endpoints");
    for (DiscoveredApp.Task task : app.tasks()) {
      ObjectNode to = tasks.addObject();
      to.put("id", task.taskId()).put("host", task.host()).put("ip", task.ip());
      ArrayNode own = to.putArray("ipAddresses");
      task.containerIps().forEach(own::add);
      ArrayNode ports = to.putArray("ports");
      task.hostPorts().forEach(ports::add);
      to.put("running", task.running());
      if (task.healthy() == null) {
        to.putNull("healthy");
      } else {
        to.put("healthy", task.healthy());
      }
      if (!task.running() || task.ip() == null) {
        continue;
      }
      for (Integer port : task.hostPorts()) {
        endpoints.addObject().put("service", "_" + label + "._tcp.marathon." + domain)
            .put("host", DnsNames.taskLabel(label, task.taskId())
                + (task.containerIps().isEmpty() ? ".marathon." : ".marathon.slave.") + domain)
            .put("ip", task.ip()).put("port", String.valueOf(port));
      }
    }
    return o;
  }

  private static String domain(RecordTable t) {
    String d = t.domain().toString();
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}
