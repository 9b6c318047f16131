package dev.corral.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON setup: ISO-8601 timestamps, unknown fields tolerated, Optional support. */
public final class Json {
  private static final ObjectMapper MAPPER = create();

  private Json() {}

  /** A shared, thread-safe mapper. Do not reconfigure it; call {@link #create()} for a private copy. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectMapper create() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
