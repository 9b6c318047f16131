package dev.corral.api.leader;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@link ZkTarget} to the gRPC address of the leading master by watching its {@link LeaderInfo}
 * node, and tells the channel again whenever the node changes (a new leader) or disappears (none for now:
 * the channel's calls fail UNAVAILABLE and their callers retry). Calls into the channel's listener run in
 * its synchronization context; Curator's threads only post there.
 */
final class ZkLeaderResolver extends NameResolver {
  private static final Logger log = LoggerFactory.getLogger(ZkLeaderResolver.class);

  private final ZkTarget target;
  private final SynchronizationContext sync;
  private CuratorFramework curator;
  private CuratorCache cache;
  private Listener2 listener;
  private String lastAddress;

  ZkLeaderResolver(ZkTarget target, SynchronizationContext sync) {
    this.target = target;
    this.sync = sync;
  }

  @Override
  public String getServiceAuthority() {
    return ZkTarget.AUTHORITY;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    curator = CuratorFrameworkFactory.builder()
        .connectString(target.connect())
        .namespace(target.namespace())
        .sessionTimeoutMs(30_000)
        .connectionTimeoutMs(15_000)
        .retryPolicy(new ExponentialBackoffRetry(200, 29, 5_000))
        .build();
    curator.start();
    cache = CuratorCache.build(curator, LeaderInfo.PATH, CuratorCache.Options.SINGLE_NODE_CACHE);
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, before, after) -> sync.execute(this::resolve))
        .forInitialized(() -> sync.execute(this::resolve))
        .build());
    cache.start();
  }

  @Override
  public void refresh() {
    if (cache != null) {
      resolve();
    }
  }

  /** Runs in the synchronization context. */
  private void resolve() {
    if (listener == null) {
      return;
    }
    Optional<ChildData> node = cache.get(LeaderInfo.PATH);
    if (node.isEmpty() || node.get().getData() == null) {
      lastAddress = null;
      listener.onError(Status.UNAVAILABLE.withDescription("no leading master in ZooKeeper at " + target
          + " (yet); is a master running?"));
      return;
    }
    try {
      LeaderInfo leader = LeaderInfo.fromBytes(node.get().getData());
      InetSocketAddress address = leader.grpcAddress();
      if (!leader.grpc().equals(lastAddress)) {
        log.info("leading master: {} (gRPC {}, epoch {})", leader.id(), leader.grpc(), leader.epoch());
        lastAddress = leader.grpc();
      }
      listener.onResult(ResolutionResult.newBuilder()
          .setAddressesOrError(io.grpc.StatusOr.fromValue(List.of(new EquivalentAddressGroup(address))))
          .build());
    } catch (IOException | RuntimeException e) {
      listener.onError(Status.UNAVAILABLE.withDescription("unreadable leader record at " + target + ": "
          + e.getMessage()));
    }
  }

  @Override
  public void shutdown() {
    listener = null;
    if (cache != null) {
      cache.close();
    }
    if (curator != null) {
      curator.close();
    }
  }
}
