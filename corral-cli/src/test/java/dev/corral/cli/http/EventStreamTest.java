package dev.corral.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStreamTest {

  private static EventStream of(String text) {
    return new EventStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsMarathonsEventsOneAtATime() throws Exception {
    EventStream stream = of("event: event_stream_attached\ndata: {\"a\":1}\n\n"
        + "event: deployment_info\ndata: {\"b\":2}\n\n");

    assertThat(stream.next()).contains(new ServerSentEvent("event_stream_attached", "{\"a\":1}"));
    assertThat(stream.next()).contains(new ServerSentEvent("deployment_info", "{\"b\":2}"));
    assertThat(stream.next()).isEmpty();
  }

  @Test
  void joinsDataLinesSkipsCommentsAndDefaultsTheType() throws Exception {
    EventStream stream = of(": keep-alive\n\ndata:first\ndata: second\r\n\r\n");

    assertThat(stream.next()).contains(new ServerSentEvent("message", "first\nsecond"));
  }

  @Test
  void anEventCutOffByTheEndOfTheStreamIsDropped() throws Exception {
    EventStream stream = of("event: deployment_success\ndata: {\"id\":\"x\"}\n");

    assertThat(stream.next()).isEmpty();
  }

  @Test
  void theTypeOfAnEventWithoutDataDoesNotLeakIntoTheNext() throws Exception {
    EventStream stream = of("event: nothing\n\ndata: x\n\n");

    assertThat(stream.next()).contains(new ServerSentEvent("message", "x"));
  }
}
