package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DnsNamesTest {
  @Test
  void groupPathsAreFlattenedInReverse() {
    assertThat(DnsNames.flatten("/a/b/app")).isEqualTo("app-b-a");
    assertThat(DnsNames.flatten("/web")).isEqualTo("web");
    assertThat(DnsNames.flatten("/prod/db/")).isEqualTo("db-prod");
  }

  @Test
  void labelsAreValidHostnameLabels() {
    assertThat(DnsNames.label("My_App.v2")).isEqualTo("my-app-v2");
    assertThat(DnsNames.label("--x--")).isEqualTo("x");
    assertThat(DnsNames.label("a".repeat(70))).hasSize(63);
  }

  @Test
  void taskLabelsUseTheUniquePartOfTheTaskId() {
    assertThat(DnsNames.taskLabel("web-b-a", "a_b_web.1f0e3c7a-0d4e-11ee-8000-000000000000"))
        .isEqualTo("web-b-a-1f0e3c7a");
    assertThat(DnsNames.taskLabel("x".repeat(63), "x.12345678")).hasSizeLessThanOrEqualTo(63).endsWith("-12345678");
  }

  @Test
  void vipLabelsInTheNamedFormOnly() {
    assertThat(Vip.parse("VIP_0", "/web:80")).contains(new Vip("web", 80));
    assertThat(Vip.parse("VIP_1", "/shop/cart:8080")).contains(new Vip("cart-shop", 8080));
    assertThat(Vip.parse("VIP_0", "10.0.0.1:80")).isEmpty();
    assertThat(Vip.parse("VIP_0", "/web")).isEmpty();
    assertThat(Vip.parse("OTHER", "/web:80")).isEmpty();
  }

  @Test
  void vipAddressesAreStableLoopbackAddressesWithoutClashes() {
    var a = VipAddresses.assign(java.util.Set.of("web", "db", "cache"));
    var b = VipAddresses.assign(java.util.Set.of("web", "db", "cache", "more"));
    assertThat(a.get("web")).isEqualTo(b.get("web"));
    assertThat(a.values()).doesNotHaveDuplicates()
        .allSatisfy(ip -> assertThat(ip.getHostAddress()).startsWith("127.77."));
  }
}
