package dev.corral.cli.group;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.GroupId;
import dev.corral.common.Json;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral group scale ID FACTOR}: {@code PUT /v2/groups/{id}} with {@code {"scaleBy": FACTOR}}, which
 * multiplies the instance count of every app in the group and below it.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Multiply the instance count of every app in a group (and its child groups).")
public final class GroupScaleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The group id, e.g. /prod.")
  GroupId id;

  @Parameters(index = "1", paramLabel = "FACTOR", description = "e.g. 2 doubles every app, 0.5 halves it.")
  BigDecimal factor;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public GroupScaleCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    if (factor.signum() < 0) {
      throw new ParameterException(spec.commandLine(), "FACTOR must be 0 or more, got " + factor.toPlainString());
    }
    // 2.0 goes out as 2 and 20 stays 20 (not 2E+1).
    BigDecimal plain = factor.stripTrailingZeros();
    if (plain.scale() < 0) {
      plain = plain.setScale(0);
    }
    ObjectNode body = Json.mapper().createObjectNode().put("scaleBy", plain);
    ApiClient client = api.get();
    ApiResponse response = client.put(id.apiPath() + (force ? "?force=true" : ""), body.toString());
    return write.report(spec, client, watch, response,
        "Scaling group " + id + " by " + plain.toPlainString());
  }
}
