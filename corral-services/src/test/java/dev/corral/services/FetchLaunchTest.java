package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.TaskInfo;
import org.junit.jupiter.api.Test;

/** An app's fetch entries and legacy uris reach the agent in the TaskInfo, with Marathon's defaults. */
class FetchLaunchTest {

  @Test
  void fetchEntriesGoIntoTheTaskInfoWithMarathonsDefaults() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/jvm", "cmd": "java -cp 'lib/*' Main", "cpus": 0.1, "mem": 16,
         "fetch": [{"uri": "maven://org.slf4j:slf4j-api:2.0.20"},
                   {"uri": "https://example.com/tool", "executable": true, "extract": false, "cache": true,
                    "destPath": "bin/tool"}]}""");
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launchedTasks()).hasSize(1);
    TaskInfo task = h.driver.launchedTasks().get(0);
    assertThat(task.getFetchList()).containsExactly(
        FetchUri.newBuilder().setUri("maven://org.slf4j:slf4j-api:2.0.20").setExtract(true).build(),
        FetchUri.newBuilder().setUri("https://example.com/tool").setExecutable(true).setCache(true)
            .setDestPath("bin/tool").build());
  }

  @Test
  void legacyUrisAreFetchedAndExtracted() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/legacy", "cmd": "ls", "cpus": 0.1, "mem": 16, "uris": ["http://example.com/app.tgz"]}""");
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launchedTasks()).singleElement().satisfies(t -> assertThat(t.getFetchList())
        .containsExactly(FetchUri.newBuilder().setUri("http://example.com/app.tgz").setExtract(true).build()));
  }
}
