package dev.corral.common;

/** Settings shared by Corral's HTTP servers (Javalin). */
public final class HttpServers {
  /**
   * Javalin's {@code http.responseBufferSize}: Javalin copies each response body through a buffer of this size,
   * allocated afresh per response. Its default, Jetty's 32 KiB output buffer, made every API answer of a few
   * hundred bytes cost 32 KiB of garbage, and at a thousand requests a second the collector's pauses showed in
   * the latency.
   */
  public static final int RESULT_COPY_BUFFER = 4096;

  private HttpServers() {}
}
