package dev.corral.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corral permission grant|revoke|list}: ACL entries through the IAM API. A resource id such as
 * {@code corral:service:marathon:/prod/*} is sent URL-encoded twice ({@code /} as {@code %252F}), as DC/OS's
 * API expects.
 */
@Command(name = "permission", description = "Grant, revoke and list permissions (resource ids with actions).",
    mixinStandardHelpOptions = true)
public final class PermissionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static CommandLine commandLine(Session session) {
    return new CommandLine(new PermissionCommand())
        .addSubcommand("grant", new Change(session, true))
        .addSubcommand("revoke", new Change(session, false))
        .addSubcommand(new ListPermissions(session));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** Exactly one of --user or --group. */
  static final class Subject {
    @Option(names = "--user", paramLabel = "UID", required = true)
    String user;

    @Option(names = "--group", paramLabel = "GID", required = true)
    String group;
  }

  static String rid(String rid) {
    return UserCommand.enc(rid).replace("%", "%25");
  }

  /** {@code permission grant|revoke RID [ACTION…] --user UID|--group GID}. */
  @Command(mixinStandardHelpOptions = true,
      description = "Grant (or revoke) actions on a resource id to a user or a group, e.g. grant"
          + " 'corral:service:marathon:/dev/*' read --user alice.",
      footer = {"", "Resources (a grant covers what its prefix or * glob names; docs/security.md):",
          "  corral:superuser                        everything",
          "  corral:service:marathon:/ID             apps, pods and groups under ID (read create update delete)",
          "  corral:task:exec[:/ID]                  exec into any task, or those of ID (create)",
          "  corral:logs                             every task's logs and files, nodes' logs (read)",
          "  corral:task:logs:/ID                    the logs and files of ID's tasks (read)",
          "  corral:jobs[:JOB]                       Metronome jobs",
          "  corral:package, :install, :repository   the catalog",
          "  corral:metrics, corral:operator, corral:acs, corral:service:proxy:NAME"})
  static final class Change implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RID", description = "Resource, e.g. corral:service:marathon:/prod/*.")
    String rid;

    @Parameters(index = "1..*", paramLabel = "ACTION", description = "read, create, update, delete or full (default).")
    List<String> actions = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    private final Session session;
    private final boolean grant;

    Change(Session session, boolean grant) {
      this.session = session;
      this.grant = grant;
    }

    @Override
    public Integer call() {
      List<String> todo = actions.isEmpty() ? List.of("full") : actions;
      String who = subject.user != null ? "users/" + UserCommand.enc(subject.user) : "groups/" + UserCommand.enc(subject.group);
      for (String action : todo) {
        String path = "/acs/api/v1/acls/" + rid(rid) + "/" + who + "/" + UserCommand.enc(action);
        if (grant) {
          session.client().put(path, "{}");
        } else {
          session.client().delete(path);
        }
      }
      spec.commandLine().getOut().printf("%s %s on %s %s %s.%n", grant ? "Granted" : "Revoked", String.join(",", todo),
          rid, grant ? "to" : "from", subject.user != null ? "user " + subject.user : "group " + subject.group);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List permissions: all ACLs, or what one user may do (directly and through groups).")
  static final class ListPermissions implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--user", paramLabel = "UID", description = "Only this user's, with those of its groups.")
    String user;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    private final Session session;

    ListPermissions(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Table t = Table.withHeaders("RID", "SUBJECT", "ACTIONS");
      ArrayNode rows = Json.mapper().createArrayNode();
      if (user != null) {
        JsonNode p = session.client().get("/acs/api/v1/users/" + UserCommand.enc(user) + "/permissions").json();
        if (json) {
          PrettyJson.print(out, p);
          return 0;
        }
        for (JsonNode d : p.path("direct")) {
          t.row(d.path("rid").asText(), "user " + user, actions(d.path("actions")));
        }
        for (JsonNode g : p.path("groups")) {
          t.row(g.path("rid").asText(), "group " + g.path("gid").asText(), actions(g.path("actions")));
        }
        t.print(out);
        return 0;
      }
      for (JsonNode acl : session.client().get("/acs/api/v1/acls").json().path("array")) {
        String rid = acl.path("rid").asText();
        JsonNode p = session.client().get("/acs/api/v1/acls/" + rid(rid) + "/permissions").json();
        for (JsonNode u : p.path("users")) {
          t.row(rid, "user " + u.path("uid").asText(), actions(u.path("actions")));
          rows.add(row(rid, "user", u.path("uid").asText(), u.path("actions")));
        }
        for (JsonNode g : p.path("groups")) {
          t.row(rid, "group " + g.path("gid").asText(), actions(g.path("actions")));
          rows.add(row(rid, "group", g.path("gid").asText(), g.path("actions")));
        }
      }
      if (json) {
        PrettyJson.print(out, rows);
      } else {
        t.print(out);
      }
      return 0;
    }

    private static ObjectNode row(String rid, String kind, String subject, JsonNode actions) {
      ObjectNode n = Json.mapper().createObjectNode().put("rid", rid).put(kind, subject);
      ArrayNode a = n.putArray("actions");
      actions.forEach(x -> a.add(x.path("name").asText()));
      return n;
    }

    private static String actions(JsonNode actions) {
      List<String> names = new ArrayList<>();
      actions.forEach(a -> names.add(a.path("name").asText()));
      return String.join(",", names);
    }
  }
}
