package dev.corral.gateway;

import dev.corral.services.engine.ServiceTargets;
import java.util.concurrent.CompletableFuture;

/** Finds the tasks behind a service name; in a master node, {@code ServiceScheduler::serviceTargets}. */
@FunctionalInterface
public interface ServiceLocator {
  CompletableFuture<ServiceTargets> find(String name);
}
