package dev.corral.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JobJsonTest {
  /** The Metronome corpus, beside the repository when it is checked out with the shared folder. */
  private static final Path CORPUS = Path.of("../../shared/compat/metronome");
  /** Request bodies that use features this cluster refuses by field path (networks, docker parameters). */
  private static final Map<String, List<String>> REFUSED = Map.of(
      "job.json", List.of("/run/networks"),
      "job_docker_param.json", List.of("/run/docker/parameters"));

  @Test
  void everyMetronomeRequestExampleIsAcceptedOrRefusedByFieldPath() throws IOException {
    assumeTrue(Files.isDirectory(CORPUS), "the Metronome corpus is not at " + CORPUS.toAbsolutePath());
    int jobs = 0;
    int schedules = 0;
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith("schema.json") || !name.endsWith(".json")) {
          continue;
        }
        JsonNode body = Json.mapper().readTree(f.toFile());
        if (name.equals("job.json") || name.startsWith("job_") && !name.equals("job_list.json")) {
          jobs++;
          if (REFUSED.containsKey(name)) {
            assertThatThrownBy(() -> JobJson.parse(body)).as(name).isInstanceOfSatisfying(InvalidException.class,
                e -> assertThat(e.violations()).extracting(Violation::path)
                    .containsExactlyInAnyOrderElementsOf(REFUSED.get(name)));
          } else {
            assertThat(JobJson.parse(body).job()).as(name).isNotNull();
          }
        } else if (name.equals("schedule.json")) {
          schedules++;
          assertThat(ScheduleJson.parse(body).id()).isEqualTo("everyminute");
        } else if (name.equals("schedule_list.json")) {
          for (JsonNode s : body) {
            schedules++;
            assertThat(ScheduleJson.parse(s).cron().text()).isEqualTo("* * * * *");
          }
        } else if (name.equals("job_list.json")) {
          // A response; its first job is a valid request body too.
          assertThat(JobJson.parse(body.get(0)).job().id()).isEqualTo("prod.email.summary");
        }
      }
    }
    assertThat(jobs).isGreaterThanOrEqualTo(5);
    assertThat(schedules).isGreaterThanOrEqualTo(3);
  }

  @Test
  void violationsCarryFieldPaths() {
    assertThatThrownBy(() -> JobJson.parse(tree("""
        {"id": "Bad_Id", "run": {"cmd": "x", "args": ["y"], "cpus": 0, "mem": 8, "restart": {"policy": "SOMETIMES"},
         "placement": {"constraints": [{"attribute": "rack", "operator": "GROUP_BY", "value": "1"}]}},
         "schedules": [{"id": "s", "cron": "61 * * * *", "timezone": "Mars/Base"}]}""")))
        .isInstanceOfSatisfying(InvalidException.class, e -> assertThat(e.violations()).extracting(Violation::path)
            .contains("/id", "/run/cmd", "/run/cpus", "/run/mem", "/run/restart/policy",
                "/run/placement/constraints/0/operator", "/schedules/0/cron", "/schedules/0/timezone"));
  }

  @Test
  void aRenderedJobParsesBackToTheSameJob() {
    JobSpec job = JobJson.parse(tree("""
        {"id": "a.b", "labels": {"x": "y"}, "run": {"args": ["/bin/echo", "hi"], "cpus": 0.5, "mem": 64,
         "env": {"A": "1"}, "user": "nobody", "restart": {"policy": "ON_FAILURE", "activeDeadlineSeconds": 30},
         "placement": {"constraints": [{"attribute": "hostname", "operator": "LIKE", "value": "node-.*"}]}}}""")).job();
    assertThat(JobJson.parse(JobJson.render(job)).job()).isEqualTo(job);
  }

  @Test
  void secretsAndVolumesParseRenderBackAndAreChecked() {
    JobSpec job = JobJson.parse(tree("""
        {"id": "team-a.backup", "run": {"cmd": "x", "cpus": 0.1, "mem": 32,
         "secrets": {"pw": {"source": "/team-a/pw"}}, "env": {"PW": {"secret": "pw"}, "A": "1"},
         "volumes": [{"containerPath": "pw.txt", "secret": "pw"}, {"containerPath": "/d", "hostPath": "/srv", "mode": "RO"}]}}""")).job();
    assertThat(job.run().secrets()).containsExactly(Map.entry("pw", "team-a/pw"));
    assertThat(job.run().secretEnv()).containsExactly(Map.entry("PW", "pw"));
    assertThat(job.run().volumes()).containsExactly(new RunSpec.Volume("pw.txt", null, false, "pw"),
        new RunSpec.Volume("/d", "/srv", true, null));
    assertThat(JobJson.parse(JobJson.render(job)).job()).isEqualTo(job);

    assertThatThrownBy(() -> JobJson.parse(tree("""
        {"id": "team-a.backup", "run": {"cmd": "x", "secrets": {"theirs": {"source": "team-b/pw"}, "bad": {}},
         "env": {"X": {"secret": "nope"}},
         "volumes": [{"containerPath": "a", "secret": "gone"}, {"containerPath": "b"}, {"containerPath": "../c", "hostPath": "/c"}]}}""")))
        .isInstanceOfSatisfying(InvalidException.class, e -> assertThat(e.violations()).extracting(Violation::path)
            .containsExactlyInAnyOrder("/run/secrets/theirs/source", "/run/secrets/bad/source", "/run/env/X/secret",
                "/run/volumes/0/secret", "/run/volumes/1", "/run/volumes/2/containerPath"));
  }

  private static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
