package dev.corral.cli.app;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An app version as Marathon names it: the timestamp of the change, e.g. {@code 2015-09-30T09:09:17.614Z}.
 * Checked only so that it cannot change the shape of the URL it goes into.
 */
record AppVersion(String value) {
  private static final Pattern TIMESTAMP_CHARS = Pattern.compile("[0-9A-Za-z:.+_-]+");

  AppVersion {
    if (!TIMESTAMP_CHARS.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid version '" + value
          + "': expected a timestamp such as 2015-09-30T09:09:17.614Z (see 'corral app versions ID')");
    }
  }

  static AppVersion parse(String raw) {
    return new AppVersion(raw.strip());
  }

  /** Makes a malformed version a usage error (exit 2) with the message above. */
  static final class Converter implements ITypeConverter<AppVersion> {
    @Override
    public AppVersion convert(String raw) {
      try {
        return parse(raw);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
