package dev.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.common.Transitions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every from × to pair of each master lifecycle against a table written out independently. */
class LifecycleTest {

  @Test
  void agentStates() {
    Map<AgentState, Set<AgentState>> legal = Map.of(
        AgentState.RECOVERED, Set.of(AgentState.REGISTERING, AgentState.UNREACHABLE),
        AgentState.REGISTERING, Set.of(AgentState.CONNECTED, AgentState.DISCONNECTED, AgentState.RECOVERED,
            AgentState.UNREACHABLE, AgentState.REMOVED),
        AgentState.CONNECTED, Set.of(AgentState.REGISTERING, AgentState.DISCONNECTED),
        AgentState.DISCONNECTED, Set.of(AgentState.REGISTERING),
        AgentState.UNREACHABLE, Set.of(AgentState.REGISTERING),
        AgentState.REMOVED, Set.of());
    checkEveryPair(AgentState.class, AgentState.TRANSITIONS, legal);
  }

  @Test
  void frameworkStates() {
    Map<FrameworkState, Set<FrameworkState>> legal = Map.of(
        FrameworkState.RECOVERED, Set.of(FrameworkState.SUBSCRIBING),
        FrameworkState.SUBSCRIBING, Set.of(FrameworkState.CONNECTED, FrameworkState.DISCONNECTED,
            FrameworkState.REMOVED),
        FrameworkState.CONNECTED, Set.of(FrameworkState.SUBSCRIBING, FrameworkState.DISCONNECTED),
        FrameworkState.DISCONNECTED, Set.of(FrameworkState.SUBSCRIBING),
        FrameworkState.REMOVED, Set.of());
    checkEveryPair(FrameworkState.class, FrameworkState.TRANSITIONS, legal);
  }

  @Test
  void offerStates() {
    Map<OfferState, Set<OfferState>> legal = Map.of(
        OfferState.OUTSTANDING, Set.of(OfferState.ACCEPTED, OfferState.DECLINED, OfferState.RESCINDED,
            OfferState.RECOVERED),
        OfferState.ACCEPTED, Set.of(),
        OfferState.DECLINED, Set.of(),
        OfferState.RESCINDED, Set.of(),
        OfferState.RECOVERED, Set.of());
    checkEveryPair(OfferState.class, OfferState.TRANSITIONS, legal);
  }

  @Test
  void maintenanceModes() {
    Map<MaintenanceMode, Set<MaintenanceMode>> legal = Map.of(
        MaintenanceMode.ACTIVE, Set.of(MaintenanceMode.DRAINING, MaintenanceMode.DEACTIVATED),
        MaintenanceMode.DRAINING, Set.of(MaintenanceMode.DRAINED, MaintenanceMode.ACTIVE),
        MaintenanceMode.DRAINED, Set.of(MaintenanceMode.ACTIVE),
        MaintenanceMode.DEACTIVATED, Set.of(MaintenanceMode.ACTIVE, MaintenanceMode.DRAINING));
    checkEveryPair(MaintenanceMode.class, MaintenanceMode.TRANSITIONS, legal);
    assertThat(MaintenanceMode.ACTIVE.offered()).isTrue();
    for (MaintenanceMode m : MaintenanceMode.values()) {
      assertThat(m.offered()).as(m.name()).isEqualTo(m == MaintenanceMode.ACTIVE);
    }
  }

  @Test
  void entriesEnforceTheirTables() {
    Offer offer = new Offer(0, "o", "f", "a", dev.corral.api.ResourceSet.EMPTY, Scalars.ZERO);
    offer.moveTo(OfferState.DECLINED);
    assertThatThrownBy(() -> offer.moveTo(OfferState.ACCEPTED))
        .isInstanceOf(Transitions.IllegalTransitionException.class)
        .hasMessageContaining("DECLINED to ACCEPTED");
    Agent agent = new Agent("a", AgentState.RECOVERED, dev.corral.api.v1.AgentInfo.getDefaultInstance());
    assertThatThrownBy(() -> agent.moveTo(AgentState.CONNECTED))
        .isInstanceOf(Transitions.IllegalTransitionException.class);
  }

  private static <S extends Enum<S>> void checkEveryPair(Class<S> type, Transitions<S> table,
      Map<S, Set<S>> legal) {
    assertThat(legal.keySet()).containsExactlyInAnyOrder(type.getEnumConstants());
    for (S from : type.getEnumConstants()) {
      for (S to : type.getEnumConstants()) {
        boolean expected = legal.get(from).contains(to);
        assertThat(table.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
        if (expected) {
          assertThat(table.check(from, to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> table.check(from, to)).as(from + " -> " + to)
              .isInstanceOf(Transitions.IllegalTransitionException.class);
        }
      }
    }
  }
}
