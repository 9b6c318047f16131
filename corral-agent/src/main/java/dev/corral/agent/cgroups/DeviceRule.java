package dev.corral.agent.cgroups;

/**
 * A device a task may not use: a character or block device by major and minor number. Immutable.
 *
 * @param type 'c' (character) or 'b' (block)
 * @param minor -1 for every minor of the major
 */
public record DeviceRule(char type, int major, int minor) {
  public DeviceRule {
    if (type != 'c' && type != 'b') {
      throw new IllegalArgumentException("type: must be c or b, got " + type);
    }
    if (major < 0) {
      throw new IllegalArgumentException("major: must not be negative, got " + major);
    }
  }

  /** The line for cgroup v1 {@code devices.deny}: read, write and mknod, e.g. {@code c 195:1 rwm}. */
  public String v1() {
    return type + " " + major + ":" + (minor < 0 ? "*" : Integer.toString(minor)) + " rwm";
  }
}
