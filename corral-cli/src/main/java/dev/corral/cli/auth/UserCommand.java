package dev.corral.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corral user add|list|remove|passwd|join|leave} and {@code corral user group add|list|remove}:
 * accounts and groups through the IAM API ({@code /acs/api/v1/users}, {@code /groups}).
 */
@Command(name = "user", description = "Manage accounts (users and service accounts) and their groups.",
    mixinStandardHelpOptions = true)
public final class UserCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static CommandLine commandLine(Session session) {
    return new CommandLine(new UserCommand())
        .addSubcommand(new Add(session))
        .addSubcommand(new ListUsers(session))
        .addSubcommand(new Remove(session))
        .addSubcommand(new Passwd(session))
        .addSubcommand("join", new Membership(session, true))
        .addSubcommand("leave", new Membership(session, false))
        .addSubcommand(new CommandLine(new GroupCommand())
            .addSubcommand(new GroupAdd(session))
            .addSubcommand(new GroupList(session))
            .addSubcommand(new GroupRemove(session)));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a user (asks for a password) or, with --public-key, a service account.")
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "UID", description = "Lower-case letters, digits, '_', '.', '@', '-'.")
    String uid;

    @Option(names = "--description", defaultValue = "", description = "What the account is for.")
    String description;

    @Option(names = "--password-file", description = "Read the password from this file instead of asking.")
    Path passwordFile;

    @Option(names = "--public-key", description = "PEM public key of a service account (it logs in with its private key).")
    Path publicKey;

    private final Session session;

    Add(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.mapper().createObjectNode().put("description", description);
      if (publicKey != null) {
        try {
          body.put("public_key", Files.readString(publicKey, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + publicKey + ": " + e.getMessage(), e);
        }
      } else {
        body.put("password", Secrets.password(passwordFile, uid + "'s new password: ", session));
      }
      session.client().put("/acs/api/v1/users/" + enc(uid), body.toString());
      spec.commandLine().getOut().printf("Added %s %s.%n", publicKey != null ? "service account" : "user", uid);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
  static final class ListUsers implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Session session;

    ListUsers(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      JsonNode users = session.client().get("/acs/api/v1/users").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, users);
        return 0;
      }
      Table t = Table.withHeaders("UID", "KIND", "DESCRIPTION");
      for (JsonNode u : users.path("array")) {
        t.row(u.path("uid").asText(), u.path("is_service").asBoolean() ? "service" : "user",
            u.path("description").asText());
      }
      t.print(out);
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove an account with its group memberships and permissions; its tokens stop working.")
  static final class Remove implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "UID")
    String uid;

    private final Session session;

    Remove(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      session.client().delete("/acs/api/v1/users/" + enc(uid));
      spec.commandLine().getOut().printf("Removed %s.%n", uid);
      return 0;
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Change a user's password (your own unless UID is given; others' need corral:acs).")
  static final class Passwd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "UID", arity = "0..1")
    String uid;

    @Option(names = "--password-file", description = "Read the new password from this file instead of asking.")
    Path passwordFile;

    private final Session session;

    Passwd(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      String who = uid;
      if (who == null) {
        who = session.client().get("/acs/api/v1/auth/whoami").json().path("uid").asText();
      }
      String password = Secrets.password(passwordFile, who + "'s new password: ", session);
      session.client().send("PATCH", "/acs/api/v1/users/" + enc(who),
          Json.mapper().createObjectNode().put("password", password).toString());
      spec.commandLine().getOut().printf("Changed the password of %s.%n", who);
      return 0;
    }
  }

  /** {@code user join UID GID} / {@code user leave UID GID}. */
  @Command(mixinStandardHelpOptions = true, description = "Add an account to a group (join) or take it out (leave).")
  static final class Membership implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "UID")
    String uid;

    @Parameters(index = "1", paramLabel = "GID")
    String gid;

    private final Session session;
    private final boolean join;

    Membership(Session session, boolean join) {
      this.session = session;
      this.join = join;
    }

    @Override
    public Integer call() {
      String path = "/acs/api/v1/groups/" + enc(gid) + "/users/" + enc(uid);
      if (join) {
        session.client().put(path, "{}");
      } else {
        session.client().delete(path);
      }
      spec.commandLine().getOut().printf("%s %s %s.%n", uid, join ? "joined" : "left", gid);
      return 0;
    }
  }

  @Command(name = "group", description = "Manage groups of accounts.", mixinStandardHelpOptions = true)
  static final class GroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a group.")
  static final class GroupAdd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GID")
    String gid;

    @Option(names = "--description", defaultValue = "")
    String description;

    private final Session session;

    GroupAdd(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      session.client().put("/acs/api/v1/groups/" + enc(gid),
          Json.mapper().createObjectNode().put("description", description).toString());
      spec.commandLine().getOut().printf("Added group %s.%n", gid);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the groups and their members.")
  static final class GroupList implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Session session;

    GroupList(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      JsonNode groups = session.client().get("/acs/api/v1/groups").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, groups);
        return 0;
      }
      Table t = Table.withHeaders("GID", "MEMBERS", "DESCRIPTION");
      for (JsonNode g : groups.path("array")) {
        java.util.List<String> members = new java.util.ArrayList<>();
        g.path("members").forEach(m -> members.add(m.asText()));
        t.row(g.path("gid").asText(), String.join(",", members), g.path("description").asText());
      }
      t.print(out);
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a group and its permissions.")
  static final class GroupRemove implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GID")
    String gid;

    private final Session session;

    GroupRemove(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      session.client().delete("/acs/api/v1/groups/" + enc(gid));
      spec.commandLine().getOut().printf("Removed group %s.%n", gid);
      return 0;
    }
  }
}
