package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwarderCredentialsTest {
  @Test
  void theGatewaysOwnCredentialsStayAtTheGateway() {
    assertThat(Forwarder.withoutGatewayCredentials("Authorization", "token=eyJ.a.b")).isNull();
    assertThat(Forwarder.withoutGatewayCredentials("authorization", "TOKEN=x")).isNull();
    assertThat(Forwarder.withoutGatewayCredentials("Authorization", "Basic dXNlcjpwdw==")).isEqualTo("Basic dXNlcjpwdw==");
    assertThat(Forwarder.withoutGatewayCredentials("Cookie", "corral-token=abc")).isNull();
    assertThat(Forwarder.withoutGatewayCredentials("Cookie", "a=1; corral-token=abc; b=2")).isEqualTo("a=1; b=2");
    assertThat(Forwarder.withoutGatewayCredentials("Accept", "text/html")).isEqualTo("text/html");
  }
}
