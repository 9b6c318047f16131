package dev.corral.examples.fintrans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransactionTest {

  @Test
  void formatsAndParsesTheTopicRecord() {
    Transaction t = new Transaction(1_700_000_000_000L, "acct1", "acct2", 450);
    assertThat(t.format()).isEqualTo("1700000000000;acct1;acct2;450");
    assertThat(Transaction.parse(t.format())).isEqualTo(t);
    assertThat(Transaction.parse(" 5;a;b;7\n")).isEqualTo(new Transaction(5, "a", "b", 7));
  }

  @Test
  void rejectsMalformedLines() {
    assertThatThrownBy(() -> Transaction.parse("5;a;b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Transaction.parse("x;a;b;7")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Transaction.parse("5;a;b;-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Transaction.parse("5;;b;1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fraudAlertRoundTripsAndReadsAsWords() {
    FraudAlert alert = new FraudAlert(0, 60_000, "a", "b", 25, 16_000);
    assertThat(FraudAlert.parse(alert.format())).isEqualTo(alert);
    assertThat(Viewer.display(alert.format()))
        .isEqualTo("FRAUD a -> b: 16000 in 25 transfers between 1970-01-01T00:00:00Z and 1970-01-01T00:01:00Z");
    assertThat(Viewer.display("not an alert")).isEqualTo("not an alert");
  }
}
