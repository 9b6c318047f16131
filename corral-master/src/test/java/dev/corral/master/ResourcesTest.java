package dev.corral.master;

import static dev.corral.master.TestResources.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  @Test
  void clampedMinusRemovesOnlyWhatIsThere() {
    assertThat(Resources.clampedMinus(parse("cpus:4;mem:1024"), parse("cpus:1"))).isEqualTo(parse("cpus:3;mem:1024"));
    assertThat(Resources.clampedMinus(parse("cpus:1;ports:[1-10]"), parse("cpus:2;mem:5;ports:[5-20]")))
        .isEqualTo(parse("ports:[1-4]"));
  }

  @Test
  void shortfallNamesEveryMissingResourceWithItsRole() {
    assertThat(Resources.shortfall(parse("cpus:0.5;mem:512"), parse("cpus:1;mem:256")))
        .isEqualTo("needs mem:512 but the offer has mem:256 left");
    assertThat(Resources.shortfall(parse("cpus(web):2;gpus:1"), parse("cpus:4")))
        .isEqualTo("needs cpus(web):2 but the offer has cpus(web):0 left; needs gpus:1 but the offer has gpus:0 left");
    assertThat(Resources.shortfall(parse("cpus:1"), parse("cpus:1"))).isEmpty();
  }

  @Test
  void dominantShareIsTheLargestFraction() {
    Scalars total = new Scalars(10, 1000, 0, 2);
    assertThat(new Scalars(1, 500, 100, 0).dominantShare(total)).isEqualTo(0.5);
    assertThat(new Scalars(1, 0, 0, 2).dominantShare(total)).isEqualTo(1.0);
    assertThat(Scalars.ZERO.minus(new Scalars(1, 1, 1, 1))).isEqualTo(Scalars.ZERO);
  }

  @Test
  void configDefaultsAndValidation() {
    MasterConfig d = MasterConfig.defaults();
    assertThat(d.agentHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(d.agentReregisterTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.allocationDelay()).isEqualTo(Duration.ofMillis(2));
    assertThat(d.defaultRefuse()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.schedulerHeartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(d.agentHeartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(d.withAgentHeartbeatTimeout(Duration.ofSeconds(3)).agentHeartbeatInterval())
        .isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> d.withAgentHeartbeatTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMasterId(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
