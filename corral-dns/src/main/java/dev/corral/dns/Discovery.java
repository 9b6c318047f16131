package dev.corral.dns;

import dev.corral.services.engine.ServicesView;
import dev.corral.services.events.EventBus;
import dev.corral.services.events.Subscription;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link RecordTable} in step with the service scheduler. Every scheduler event (a task's status,
 * health, an app change) marks the table stale; a short moment later one snapshot of the scheduler is taken
 * on its loop ({@code view()}), the table is rebuilt off the loop, and the listeners (the VIP proxy) get it.
 * A burst of events costs one rebuild, and a query never costs more than a map lookup. A slow timer rebuilds
 * too, so that a missed wake-up heals.
 *
 * <p>Soft state: nothing is stored; the table is rebuilt from the scheduler at start.
 *
 * <p>Thread-safety: {@link #table()} may be read from any thread; rebuilds run on one "discovery" thread.
 */
public final class Discovery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Discovery.class);
  /** How long changes are gathered before a rebuild: far below the second records must follow in. */
  static final long BATCH_MS = 50;
  static final long SAFETY_REFRESH_MS = 5_000;

  private final Supplier<CompletableFuture<ServicesView>> views;
  private final EventBus events;
  private final RecordTableBuilder builder;
  private final HostAddresses hosts;
  private final List<Consumer<RecordTable>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "discovery");
    t.setDaemon(true);
    return t;
  });
  private volatile RecordTable table;
  private Subscription subscription;
  private long generation;

  /**
   * @param views a snapshot of the scheduler (e.g. {@code ServiceScheduler::view})
   * @param events the scheduler's event bus, to follow changes
   * @param master the address of the leading master, for {@code leader.<domain>}
   */
  public Discovery(DnsConfig config, Supplier<CompletableFuture<ServicesView>> views, EventBus events,
      InetAddress master) {
    this.views = views;
    this.events = events;
    this.builder = new RecordTableBuilder(config.domain(), config.ttl(), master);
    this.hosts = new HostAddresses(Clock.systemUTC());
    this.table = builder.build(0, List.of());
  }

  /** Subscribes to the scheduler's events and builds the first table. */
  public Discovery start() {
    thread.execute(this::subscribe);
    thread.scheduleWithFixedDelay(this::changed, 0, SAFETY_REFRESH_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The current table; never null. */
  public RecordTable table() {
    return table;
  }

  /** Called with each new table, on the discovery thread; must return quickly. */
  public void onTable(Consumer<RecordTable> listener) {
    listeners.add(listener);
    listener.accept(table);
  }

  private void subscribe() {
    subscription = events.subscribe(Set.of(), OptionalLong.empty(), this::changed);
  }

  /** Marks the table stale; called on the publishing thread (the scheduler's loop), so it only schedules. */
  private void changed() {
    if (pending.compareAndSet(false, true)) {
      thread.schedule(this::rebuild, BATCH_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void rebuild() {
    pending.set(false);
    drainEvents();
    try {
      ServicesView view = views.get().get(10, TimeUnit.SECONDS);
      RecordTable next = builder.build(++generation, ViewReader.read(view, hosts));
      table = next;
      for (Consumer<RecordTable> l : listeners) {
        l.accept(next);
      }
    } catch (Exception e) {
      log.debug("discovery could not read the scheduler: {}", e.toString());
    }
  }

  /** The events only say that something changed: skip them; a stream that ended is re-attached. */
  private void drainEvents() {
    if (subscription == null) {
      return;
    }
    Subscription.Delivery d;
    do {
      d = subscription.poll(1000);
    } while (!d.events().isEmpty() && !d.end());
    if (d.end()) {
      subscription.close();
      subscribe();
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    if (subscription != null) {
      subscription.close();
    }
  }
}
