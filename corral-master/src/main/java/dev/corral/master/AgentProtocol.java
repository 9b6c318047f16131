package dev.corral.master;

import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentRejected;
import dev.corral.api.v1.MasterMessage;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of {@code AgentChannel.Connect}, as loop events: a message arrived on a stream, or the
 * stream ended. The first message of a stream must be {@code register}; anything else fails the stream.
 * Messages of a stream that was replaced by a newer one are ignored. Loop thread only.
 */
final class AgentProtocol {
  private static final Logger log = LoggerFactory.getLogger(AgentProtocol.class);

  private final MasterState state;
  private final AgentRegistrar registrar;
  private final AgentLiveness liveness;
  private final StatusRouter router;

  AgentProtocol(MasterState state, AgentRegistrar registrar, AgentLiveness liveness, StatusRouter router) {
    this.state = state;
    this.registrar = registrar;
    this.liveness = liveness;
    this.router = router;
  }

  void received(Link<MasterMessage> link, AgentMessage message) {
    state.loop.assertInLoop();
    String agentId = state.agentLinks.get(link);
    if (agentId == null) {
      if (message.hasRegister()) {
        register(link, message, null);
      } else {
        link.close(Status.FAILED_PRECONDITION.withDescription(
            "the first message on an agent stream must be register, got " + message.getKindCase()));
      }
      return;
    }
    Agent agent = state.agents.get(agentId);
    if (agent == null || agent.link != link) {
      return; // a replaced stream
    }
    liveness.seen(agent);
    switch (message.getKindCase()) {
      case REGISTER -> register(link, message, agentId);
      case STATUS_UPDATE -> {
        if (agent.state.isConnected()) {
          router.statusUpdate(agent, message.getStatusUpdate().getStatus());
        } else {
          log.debug("agent {} is {}; dropping a status update it will resend", agentId, agent.state);
        }
      }
      case HEARTBEAT -> { }
      case KIND_NOT_SET -> log.warn("agent {} sent an empty message", agentId);
    }
  }

  private void register(Link<MasterMessage> link, AgentMessage message, String boundId) {
    try {
      registrar.register(link, message.getRegister(), boundId);
    } catch (AgentRegistrar.RegistrationRejected e) {
      log.warn("rejecting the registration of {}: {}", message.getRegister().getInfo().getHostname(), e.getMessage());
      link.send(MasterMessage.newBuilder().setRejected(AgentRejected.newBuilder().setReason(e.getMessage())).build());
      streamEnded(link);
      link.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    }
  }

  /** The agent closed or cancelled its stream, or the transport broke. */
  void streamEnded(Link<MasterMessage> link) {
    state.loop.assertInLoop();
    String agentId = state.agentLinks.remove(link);
    if (agentId == null) {
      return;
    }
    Agent agent = state.agents.get(agentId);
    if (agent == null || agent.link != link) {
      return;
    }
    agent.link = null;
    if (agent.state.isConnected()) {
      liveness.disconnect(agent, "agent stream ended");
    }
    // A REGISTERING agent notices the missing stream when its write completes.
  }
}
