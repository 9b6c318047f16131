package dev.corral.agent.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Resource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceParserTest {

  @Test
  void parsesScalarsRangesAndRoles() {
    List<Resource> rs = ResourceParser.parse(
        "cpus:4;mem:8192;disk:1000;gpus:0;ports:[20000-21000,30000-30010]; cpus(ads):2.5 ;");
    assertThat(rs).hasSize(6);
    assertThat(rs.get(0)).isEqualTo(Resource.newBuilder().setName("cpus").setRole("*").setScalar(4).build());
    assertThat(rs.get(3).getScalar()).isZero();
    ResourceSet set = ResourceSet.fromProto(rs);
    assertThat(set.scalar("cpus", "*")).isEqualTo(4);
    assertThat(set.scalar("cpus", "ads")).isEqualTo(2.5);
    assertThat(set.scalar("mem")).isEqualTo(8192);
    assertThat(set.ranges("ports").size()).isEqualTo(1001 + 11);
    assertThat(set.ranges("ports").toString()).isEqualTo("[20000-21000, 30000-30010]");
  }

  @Test
  void acceptsSinglePortsAndEmptyRanges() {
    ResourceSet set = ResourceSet.fromProto(ResourceParser.parse("ports:[8080, 9000-9001];other:[]"));
    assertThat(set.ranges("ports").size()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cpus                     | invalid resource 'cpus': expected name:value or name(role):value",
      "cpus:abc                 | invalid resource 'cpus:abc': 'abc' is not a non-negative number",
      "cpus:-1                  | invalid resource 'cpus:-1': '-1' is not a non-negative number",
      "mem:1e9                  | invalid resource 'mem:1e9': '1e9' is not a non-negative number",
      "cpus:4;mem:               | invalid resource 'mem:': '' is not a non-negative number",
      "ports:[2000-1000]        | invalid resource 'ports:[2000-1000]': range '2000-1000' begins after it ends",
      "ports:[1-x]              | invalid resource 'ports:[1-x]': 'x' is not a valid range bound",
      "ports:[1-2               | invalid resource 'ports:[1-2': ranges must be written [begin-end,...]",
      "cpus(a b):1              | invalid resource 'cpus(a b):1': invalid role 'a b'",
      "cpus:1;cpus(*):2         | invalid resource 'cpus(*):2': resource cpus with role * is given twice",
      "9cpus:1                  | invalid resource '9cpus:1': expected name:value or name(role):value",
  })
  void rejectsBadInputNamingTheBadPart(String input, String message) {
    assertThatThrownBy(() -> ResourceParser.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void parsesAttributes() {
    List<Attribute> attrs = AttributeParser.parse("rack:r1; zone:a;url:http://x:1");
    assertThat(attrs).extracting(a -> a.getName() + "=" + a.getText())
        .containsExactly("rack=r1", "zone=a", "url=http://x:1");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rack         | invalid attribute 'rack': expected name:value",
      "rack:        | invalid attribute 'rack:': empty value",
      ":r1          | invalid attribute ':r1': invalid name ''",
      "a:1;a:2      | invalid attribute 'a:2': attribute a is given twice",
  })
  void rejectsBadAttributes(String input, String message) {
    assertThatThrownBy(() -> AttributeParser.parse(input)).hasMessage(message);
  }

  @Test
  void overridesReplaceDetectedResourcesByName(@org.junit.jupiter.api.io.TempDir Path dir) {
    ResourceSet detected = ResourceSet.fromProto(ResourceDetector.resolve(null, dir));
    assertThat(detected.scalar("cpus")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(detected.scalar("mem")).isGreaterThanOrEqualTo(256);
    assertThat(detected.ranges("ports").toString()).isEqualTo("[31000-32000]");

    ResourceSet set = ResourceSet.fromProto(ResourceDetector.resolve("cpus(ads):2;ports:[1-2];gpus:0", dir));
    assertThat(set.scalar("cpus")).as("naming cpus replaces every detected cpu").isEqualTo(2);
    assertThat(set.scalar("cpus", "ads")).isEqualTo(2);
    assertThat(set.ranges("ports").toString()).isEqualTo("[1-2]");
    assertThat(set.scalar("gpus")).isZero();
    assertThat(set.scalar("mem")).isEqualTo(detected.scalar("mem"));
  }

  @Test
  void reservesMemoryAndDisk() {
    assertThat(ResourceDetector.memoryMb(16384)).isEqualTo(15360);
    assertThat(ResourceDetector.memoryMb(1024)).isEqualTo(512);
    assertThat(ResourceDetector.memoryMb(300)).isEqualTo(256);
    assertThat(ResourceDetector.diskMb(1000)).isEqualTo(900);
    assertThat(ResourceDetector.diskMb(1_000_000)).isEqualTo(1_000_000 - 5120);
  }
}
