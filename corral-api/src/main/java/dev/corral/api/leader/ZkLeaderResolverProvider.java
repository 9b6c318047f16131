package dev.corral.api.leader;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.URI;

/**
 * Lets gRPC channels address the leading master as {@code zk://h1:2181,h2:2181/corral}: the channel follows
 * the leader that ZooKeeper names, and reconnects to the next one after a failover. Registered through
 * {@code META-INF/services}, so any {@code ManagedChannelBuilder.forTarget("zk://…")} uses it.
 */
public final class ZkLeaderResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "zk";

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    return new ZkLeaderResolver(ZkTarget.of(targetUri), args.getSynchronizationContext());
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }
}
