package dev.corral.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FetcherConfigTest {
  @Test
  void defaultsAreCentralTheWorkDirAndTwoGibibytes() {
    FetcherConfig c = FetcherConfig.defaults();
    assertThat(c.mavenRepositories()).containsExactly("https://repo.maven.apache.org/maven2");
    assertThat(c.mavenLocalRepository(Path.of("/w"))).isEqualTo(Path.of("/w/maven"));
    assertThat(c.cacheSizeBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
  }

  @Test
  void repositoriesAreCommaSeparatedHttpOrFileUrls() {
    FetcherConfig c = FetcherConfig.defaults().withMavenRepositories(" https://m.example/maven2 , file:///srv/m2,");
    assertThat(c.mavenRepositories()).containsExactly("https://m.example/maven2", "file:///srv/m2");
    assertThat(FetcherConfig.defaults().withMavenRepositories(null).mavenRepositories())
        .isEqualTo(List.of(FetcherConfig.MAVEN_CENTRAL));
    assertThatThrownBy(() -> FetcherConfig.defaults().withMavenRepositories("ftp://x/m2"))
        .hasMessageContaining("http, https or file URL");
  }
}
