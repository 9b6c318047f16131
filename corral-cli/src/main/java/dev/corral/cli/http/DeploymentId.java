package dev.corral.cli.http;

import java.util.regex.Pattern;

/** A deployment id as Marathon prints it (a UUID); checked only so that it cannot change the URL's shape. */
public record DeploymentId(String value) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

  public DeploymentId {
    if (!PLAIN.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("invalid deployment id '" + value
          + "': expected an id such as 97c136bf-5a28-4821-9d94-480d9fbb01c8 (see 'corral deployment list')");
    }
  }

  public static DeploymentId parse(String raw) {
    return new DeploymentId(raw.strip());
  }

  /** {@code /v2/deployments/ID}. */
  public String apiPath() {
    return "/v2/deployments/" + value;
  }

  @Override
  public String toString() {
    return value;
  }
}
