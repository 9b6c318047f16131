package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.common.FakeClock;
import dev.corral.gateway.AccessCheck;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecurityTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore();
  private final Directory directory = new Directory(store, clock);
  private final Security security = Security.of(directory, Tokens.fromStore(store, clock),
      LoginLimiter.standard(clock), clock);

  @AfterEach
  void close() {
    security.close();
  }

  @Test
  void theFirstAdminIsCreatedOnceAsSuperuser() {
    String password = security.bootstrapAdmin("admin").orElseThrow();
    assertThat(Passwords.verify(password, directory.account("admin").orElseThrow().passwordHash())).isTrue();
    assertThat(security.bootstrapAdmin("admin")).isEmpty();
    Principal admin = security.principal(security.issueToken("admin", Duration.ofHours(1)).orElseThrow());
    assertThat(admin.superuser()).isTrue();
    assertThat(admin.allows("corral:anything", "delete")).isTrue();
  }

  @Test
  void aRevokedTokenIsRefusedAndTheRevocationIsPersisted() {
    directory.putAccount(new Account("alice", "", Passwords.hash("password1"), null));
    String token = security.issueToken("alice", Duration.ofHours(1)).orElseThrow();
    Principal alice = security.principal(token);
    directory.revokeToken(alice.jti(), alice.expires());
    assertThatThrownBy(() -> security.principal(token)).isInstanceOf(AuthRefused.class)
        .hasFieldOrPropertyWithValue("code", "ERR_REVOKED_TOKEN");
    // another master reading the same store refuses it too
    assertThat(new Directory(store, clock).snapshot().revoked()).containsKey(alice.jti());
    // once past its expiry, the revocation record is dropped
    clock.advance(Duration.ofHours(2));
    assertThat(new Directory(store, clock).snapshot().revoked()).isEmpty();
  }

  @Test
  void permissionsComeFromTheUserAndItsGroups() {
    directory.putAccount(new Account("bob", "", Passwords.hash("password1"), null));
    directory.putGroup(new Group("devs", "", Set.of()));
    directory.setMember("devs", "bob", true);
    directory.setPermission("corral:service:marathon:/dev/*", true, "devs", "read", true);
    directory.setPermission("corral:logs", false, "bob", "full", true);
    Principal bob = security.principal(security.issueToken("bob", Duration.ofHours(1)).orElseThrow());
    assertThat(bob.allows("corral:service:marathon:/dev/web", "read")).isTrue();
    assertThat(bob.allows("corral:service:marathon:/dev/web", "create")).isFalse();
    assertThat(bob.allows("corral:service:marathon:/prod/web", "read")).isFalse();
    assertThat(bob.allows("corral:logs", "read")).isTrue();
    assertThat(bob.allows("corral:task:exec", "create")).isFalse();

    directory.setMember("devs", "bob", false);
    Principal after = security.principal(security.issueToken("bob", Duration.ofHours(1)).orElseThrow());
    assertThat(after.allows("corral:service:marathon:/dev/web", "read")).isFalse();
  }

  @Test
  void aRemovedAccountsTokensStopWorkingAndItsGrantsGo() {
    directory.putAccount(new Account("carol", "", Passwords.hash("password1"), null));
    directory.setPermission("corral:logs", false, "carol", "read", true);
    String token = security.issueToken("carol", Duration.ofHours(1)).orElseThrow();
    directory.removeAccount("carol");
    assertThatThrownBy(() -> security.principal(token)).hasFieldOrPropertyWithValue("code", "ERR_UNKNOWN_ACCOUNT");
    assertThat(directory.snapshot().acls()).doesNotContainKey("corral:logs");
  }

  @Test
  void theEventStreamShowsAReaderOfSomeAppsOnlyThoseAndEveryoneElseAll() {
    directory.putAccount(new Account("dana", "", Passwords.hash("password1"), null));
    directory.setPermission("corral:service:marathon:/a/*", false, "dana", "read", true);
    directory.setPermission("corral:service:marathon:/c/web", false, "dana", "update", true);
    Predicate<String> dana = Security.readableRunSpecs(
        security.principal(security.issueToken("dana", Duration.ofHours(1)).orElseThrow()));
    assertThat(dana.test("/a/web")).isTrue();
    assertThat(dana.test("/a")).isTrue();
    assertThat(dana.test("/a/deep/er")).isTrue();
    assertThat(dana.test("/ab")).isFalse();
    assertThat(dana.test("/b/web")).isFalse();
    assertThat(dana.test("/c/web")).as("update is not read").isFalse();

    directory.putAccount(new Account("root-reader", "", Passwords.hash("password1"), null));
    directory.setPermission("corral:service:marathon:/", false, "root-reader", "read", true);
    assertThat(Security.readableRunSpecs(security.principal(
        security.issueToken("root-reader", Duration.ofHours(1)).orElseThrow()))).isNull();
    assertThat(Security.readableRunSpecs(Principal.ANONYMOUS_SUPERUSER)).isNull();
    assertThat(Security.disabled().eventAccess().readable(null)).isNull();
  }

  @Test
  void aTasksExecAndLogsNeedTheClusterWidePermissionOrTheOneOfItsApp() {
    directory.putAccount(new Account("tom", "", Passwords.hash("password1"), null));
    directory.setPermission("corral:task:exec:/a/*", false, "tom", "create", true);
    directory.setPermission("corral:task:logs:/a/*", false, "tom", "read", true);
    directory.setPermission("corral:task:logs:/c/web", false, "tom", "update", true);
    Principal tom = security.principal(security.issueToken("tom", Duration.ofHours(1)).orElseThrow());
    assertThat(Security.taskRefusal(tom, AccessCheck.TaskUse.EXEC, "a_web.1", "/a/web")).isNull();
    assertThat(Security.taskRefusal(tom, AccessCheck.TaskUse.LOGS, "a_x_y.1", "/a/x/y")).isNull();

    AuthRefused other = Security.taskRefusal(tom, AccessCheck.TaskUse.LOGS, "b_web.1", "/b/web");
    assertThat(other.status).isEqualTo(403);
    assertThat(other.permission).isEqualTo("corral:task:logs:/b/web");
    assertThat(other.action).isEqualTo("read");
    assertThat(other.getMessage()).isEqualTo("'tom' may not read the logs and files of task b_web.1: that needs "
        + "the permission corral:logs (read) or corral:task:logs:/b/web (read)");
    assertThat(Security.taskRefusal(tom, AccessCheck.TaskUse.LOGS, "c_web.1", "/c/web")).as("update is not read")
        .isNotNull();
    AuthRefused exec = Security.taskRefusal(tom, AccessCheck.TaskUse.EXEC, "b_web.1", "/b/web");
    assertThat(exec.permission).isEqualTo("corral:task:exec:/b/web");
    assertThat(exec.action).isEqualTo("create");
    AuthRefused noApp = Security.taskRefusal(tom, AccessCheck.TaskUse.EXEC, "broker-0", null);
    assertThat(noApp.permission).isEqualTo("corral:task:exec");
    assertThat(noApp.getMessage()).endsWith("needs the permission corral:task:exec (create), as the task belongs "
        + "to no app or pod");

    directory.setPermission("corral:task:exec", false, "tom", "create", true);
    directory.setPermission("corral:logs", false, "tom", "read", true);
    Principal wide = security.principal(security.issueToken("tom", Duration.ofHours(1)).orElseThrow());
    assertThat(Security.taskRefusal(wide, AccessCheck.TaskUse.EXEC, "b_web.1", "/b/web")).isNull();
    assertThat(Security.taskRefusal(wide, AccessCheck.TaskUse.EXEC, "broker-0", null)).isNull();
    assertThat(Security.taskRefusal(wide, AccessCheck.TaskUse.LOGS, "broker-0", null)).isNull();
    assertThat(Security.disabled().accessCheck().denyTask(null, AccessCheck.TaskUse.EXEC, "x", null)).isNull();
  }

  @Test
  void pathsWithDotSegmentsAreRefused() {
    assertThatThrownBy(() -> Security.decodedPath("/v2/apps/dev/..%2Fprod/x")).isInstanceOf(AuthRefused.class);
    assertThatThrownBy(() -> Security.decodedPath("/v2/apps/dev/../prod")).isInstanceOf(AuthRefused.class);
    assertThat(Security.decodedPath("/v2/apps/dev/web")).isEqualTo("/v2/apps/dev/web");
  }
}
