package dev.corral.services.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.services.Harness;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppValidatorTest {

  private static List<Violation> validate(String json) {
    return AppValidator.validate(AppNormalizer.clean(Harness.object(json)));
  }

  @Test
  void aMinimalAppIsValid() {
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"sleep 1\"}")).isEmpty();
  }

  @Test
  void negativeResourcesAndWrongTypesAreReportedAtTheirPaths() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "cpus": -1, "mem": "lots", "instances": 1.5, "gpus": -2, "disk": -0.5,
         "env": {"A": 1}, "labels": {"b": true}, "requirePorts": "yes", "backoffFactor": 0.5}"""))
        .containsExactlyInAnyOrder(
            new Violation("/cpus", "must be >= 0"),
            new Violation("/mem", "must be a number"),
            new Violation("/disk", "must be >= 0"),
            new Violation("/gpus", "must be >= 0"),
            new Violation("/instances", "must be an integer"),
            new Violation("/env/A", "must be a string or a secret reference {\"secret\": \"name\"}"),
            new Violation("/labels/b", "must be a string"),
            new Violation("/requirePorts", "must be a boolean"),
            new Violation("/backoffFactor", "must be >= 1"));
  }

  @Test
  void cmdAndArgsExcludeEachOtherAndOneOfThemOrAContainerIsNeeded() {
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"args\": [\"y\"]}"))
        .containsExactly(new Violation("/cmd", "give either cmd or args, not both"));
    assertThat(validate("{\"id\": \"/a\"}")).extracting(Violation::path).containsExactly("/");
    assertThat(validate("{\"id\": \"/a\", \"container\": {\"type\": \"MESOS\"}}")).isEmpty();
  }

  @Test
  void aDockerContainerNeedsAnImageAndAKnownType() {
    assertThat(validate("""
        {"id": "/a", "container": {"type": "DOCKER", "docker": {"image": "127.0.0.1:5000/x:1", "forcePullImage": true}}}"""))
        .isEmpty();
    assertThat(validate("{\"id\": \"/a\", \"container\": {\"type\": \"MESOS\", \"docker\": {\"image\": \"r:5000/x\"}}}"))
        .isEmpty();
    assertThat(validate("{\"id\": \"/a\", \"container\": {\"type\": \"DOCKER\", \"docker\": {}}}"))
        .containsExactly(new Violation("/container/docker/image", "must be a non-empty string"));
    assertThat(validate("{\"id\": \"/a\", \"container\": {\"type\": \"DOCKER\"}}"))
        .containsExactly(new Violation("/container/docker", "a DOCKER container needs docker.image"));
    assertThat(validate("{\"id\": \"/a\", \"container\": {\"type\": \"RKT\", \"docker\": {\"image\": \"r/x\"}}}"))
        .containsExactly(new Violation("/container/type", "must be DOCKER or MESOS"));
    assertThat(validate("""
        {"id": "/a", "container": {"docker": {"image": "r/x", "forcePullImage": "yes"}}}"""))
        .containsExactly(new Violation("/container/docker/forcePullImage", "must be a boolean"));
  }

  @Test
  void fetchEntriesNeedAFetchableUriAndADestPathInsideTheSandbox() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "fetch": [
          {"uri": "https://h/a.tgz", "extract": true, "executable": false, "cache": true, "destPath": "dist/"},
          {"uri": "maven://org.x:y:1.0"}, {"uri": "maven://org.x:y:jar:tests:1.0"}, {"uri": "file:///opt/a"},
          {}, {"uri": "hdfs://nn/a"}, {"uri": "maven://org.x:y"}, {"uri": "http://h/a", "destPath": "../a"},
          {"uri": "http://h/a", "destPath": "/etc/a"}, {"uri": "http://h/a", "cache": "yes"}, "http://h/a"]}"""))
        .containsExactly(
            new Violation("/fetch/4/uri", "is required"),
            new Violation("/fetch/5/uri", "must use a supported scheme: http, https, file or maven"),
            new Violation("/fetch/6/uri", "must be maven://group:artifact[:extension[:classifier]]:version"),
            new Violation("/fetch/7/destPath", "must not contain '..'"),
            new Violation("/fetch/8/destPath", "must be relative to the sandbox"),
            new Violation("/fetch/9/cache", "must be a boolean"),
            new Violation("/fetch/10", "must be an object"));
  }

  @Test
  void legacyUrisNeedAFetchableUriAndExcludeFetch() {
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"uris\": [\"http://h/a\", \"s3://b/k\", 3]}"))
        .containsExactly(
            new Violation("/uris/2", "must be a string"),
            new Violation("/uris/1", "must use a supported scheme: http, https, file or maven"));
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"uris\": [\"http://h/a\"],"
        + " \"fetch\": [{\"uri\": \"http://h/b\"}]}"))
        .containsExactly(new Violation("/uris", "give either uris or fetch, not both"));
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"uris\": [], \"fetch\": [{\"uri\": \"http://h/b\"}]}"))
        .isEmpty();
  }

  @Test
  void idsFollowMarathonsRules() {
    for (String good : List.of("/a", "a", "/prod/web-1", "/a.b/c", "/x/../y", "./z/")) {
      assertThat(validate("{\"id\": \"" + good + "\", \"cmd\": \"x\"}")).as(good).isEmpty();
    }
    for (String bad : List.of("/A", "/a_b", "/-a", "/a-", "/a//b", "/..", "/", "", "/a b", "/a..b")) {
      assertThat(validate("{\"id\": \"" + bad + "\", \"cmd\": \"x\"}")).as(bad)
          .extracting(Violation::path).containsExactly("/id");
    }
    assertThat(validate("{\"id\": 3, \"cmd\": \"x\"}")).containsExactly(new Violation("/id", "must be a string"));
  }

  @Test
  void constraintsNeedAKnownOperatorAndAFittingValue() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "constraints": [["hostname", "UNIQUE"], ["rack", "NEAR", "r1"],
         ["rack", "MAX_PER", "zero"], ["rack", "LIKE", "(["], ["rack"], "hostname:UNIQUE"]}"""))
        .extracting(Violation::path)
        .containsExactly("/constraints/1", "/constraints/2", "/constraints/3", "/constraints/4", "/constraints/5");
  }

  @Test
  void eachOperatorGetsTheValueMarathonExpects() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "constraints": [
          ["hostname", "UNIQUE", "x"], ["hostname", "UNIQUE", ""], ["rack", "CLUSTER"], ["rack", "CLUSTER", "r1"],
          ["rack", "GROUP_BY"], ["rack", "GROUP_BY", "3"], ["rack", "GROUP_BY", "three"], ["rack", "GROUP_BY", -1],
          ["rack", "LIKE", ""], ["rack", "UNLIKE"], ["rack", "LIKE", "r[12]"], ["@hostname", "UNLIKE", "db-.*"],
          ["hostname", "MAX_PER"], ["hostname", "MAX_PER", 0], ["hostname", "MAX_PER", "2"],
          ["rack", "IS", ""], ["rack", "IS", "r1"], ["", "IS", "r1"], ["rack", "UNIQUE", "a", "b"]]}"""))
        .containsExactly(
            new Violation("/constraints/0", "Value specified but not used: UNIQUE takes no value"),
            new Violation("/constraints/6", "GROUP_BY takes an optional non-negative integer as its value"),
            new Violation("/constraints/7", "GROUP_BY takes an optional non-negative integer as its value"),
            new Violation("/constraints/8",
                "A regular expression value must be provided: LIKE with an empty value never matches"),
            new Violation("/constraints/9", "UNLIKE needs a regular expression as its value"),
            new Violation("/constraints/12", "MAX_PER needs a positive integer as its value"),
            new Violation("/constraints/13", "MAX_PER needs a positive integer as its value"),
            new Violation("/constraints/15", "IS needs the value the field must have"),
            new Violation("/constraints/17", "the field must not be empty"),
            new Violation("/constraints/18", "must be an array [field, operator] or [field, operator, value]"));
  }

  @Test
  void portDefinitionsAreChecked() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "requirePorts": true, "portDefinitions": [{"port": 70000},
         {"port": 80, "protocol": "sctp", "name": "Web"}, {"port": 80, "name": "web"}, {"port": 81, "name": "web"}]}"""))
        .containsExactly(
            new Violation("/portDefinitions/0/port", "must be an integer between 0 and 65535"),
            new Violation("/portDefinitions/1/protocol", "must be one of tcp, udp, udp,tcp"),
            new Violation("/portDefinitions/1/name", "must match ^[a-z][a-z0-9-]*$"),
            new Violation("/portDefinitions/2/port", "is given twice; with requirePorts every port must be unique"),
            new Violation("/portDefinitions/3/name", "must be unique among the port definitions"));
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"ports\": [0, 0], \"portDefinitions\": [{\"port\": 1}]}"))
        .containsExactly(new Violation("/ports", "give either ports or portDefinitions, not both"));
  }

  @Test
  void nullsCountAsAbsentAndUnknownFieldsAreFine() {
    ObjectNode app = Harness.object("{\"id\": \"/a\", \"cmd\": \"x\", \"args\": null, \"user\": null, \"someday\": {\"x\": 1}}");
    assertThat(AppValidator.validate(AppNormalizer.clean(app))).isEmpty();
    assertThat(AppNormalizer.clean(app).has("someday")).isTrue();
  }
}
