package dev.corral.agent.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-wide cache of {@code cache: true} downloads: one file per URI under {@code WORK_DIR/fetch-cache},
 * named by the SHA-256 of the URI, bounded in size, least recently used evicted first.
 *
 * <p>Concurrent fetches of one URI download it once: the first starts the download on the cache's own
 * executor (so a task killed while waiting does not abort it for the others) and everyone waits on the same
 * future. A task holds a pin on the entry while it copies from it, and pinned entries are never evicted.
 * The newest entry is not evicted either, so one file larger than the bound is still served (it goes with
 * the next insertion).
 *
 * <p>Thread-safe: the index is guarded by {@code this}; downloads and copies run outside the lock. The
 * index is soft state: at start it is rebuilt from the directory, oldest modification first.
 */
final class FetchCache {
  private static final Logger log = LoggerFactory.getLogger(FetchCache.class);

  /** A cached file: its size and how many copies from it are in progress. */
  private static final class Entry {
    final long size;
    int pins;

    Entry(long size, int pins) {
      this.size = size;
      this.pins = pins;
    }
  }

  /** A download in progress and the number of fetches waiting for it, each owed a pin. */
  private static final class InFlight {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int waiters;
  }

  private final Path dir;
  private final long maxBytes;
  private final Downloader downloader;
  private final Executor downloads;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private long totalBytes;
  private String newest;

  FetchCache(Path dir, long maxBytes, Downloader downloader, Executor downloads, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.downloader = downloader;
    this.downloads = downloads;
    load();
  }

  /**
   * Copies the content of {@code uri} to {@code target}, from the cache, or downloading it into the cache
   * first (once, however many ask at the same time).
   */
  void fetch(URI uri, Path target) throws FetchException, InterruptedException {
    String key = key(uri);
    acquire(key, uri);
    try {
      Path tmp = target.resolveSibling(target.getFileName() + ".part-cache");
      Files.createDirectories(target.getParent());
      Files.copy(file(key), tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FetchException("cannot copy from the fetch cache: " + e.getMessage(), e);
    } finally {
      release(key);
    }
  }

  /** Total bytes of the cached files. */
  synchronized long totalBytes() {
    return totalBytes;
  }

  /** Whether the cache holds {@code uri}. */
  synchronized boolean contains(URI uri) {
    return entries.containsKey(key(uri));
  }

  /** Returns with a pin on the entry of {@code key}, downloading it first if needed. */
  private void acquire(String key, URI uri) throws FetchException, InterruptedException {
    InFlight flight;
    synchronized (this) {
      Entry e = entries.get(key);
      if (e != null) {
        e.pins++;
        touch(key);
        return;
      }
      flight = inFlight.get(key);
      if (flight == null) {
        flight = new InFlight();
        inFlight.put(key, flight);
        InFlight started = flight;
        downloads.execute(() -> download(key, uri, started));
      }
      flight.waiters++;
    }
    try {
      flight.done.get();
    } catch (InterruptedException e) {
      synchronized (this) {
        if (!flight.done.isDone()) {
          flight.waiters--;
        } else if (!flight.done.isCompletedExceptionally()) {
          unpin(key); // the pin the download took for us
        }
      }
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FetchException fe) {
        throw new FetchException(fe.getMessage(), fe);
      }
      throw new FetchException(String.valueOf(cause), cause);
    }
  }

  private void download(String key, URI uri, InFlight flight) {
    Path target = file(key);
    try {
      long size = downloader.download(uri, target);
      synchronized (this) {
        inFlight.remove(key);
        entries.put(key, new Entry(size, flight.waiters));
        totalBytes += size;
        newest = key;
        evict();
        flight.done.complete(null);
      }
    } catch (FetchException | InterruptedException | RuntimeException e) {
      synchronized (this) {
        inFlight.remove(key);
        flight.done.completeExceptionally(e instanceof InterruptedException
            ? new FetchException("the agent is stopping") : e);
      }
    }
  }

  private synchronized void release(String key) {
    unpin(key);
  }

  private void unpin(String key) {
    Entry e = entries.get(key);
    if (e != null && e.pins > 0) {
      e.pins--;
    }
    evict();
  }

  /** Drops the least recently used unpinned entries until the total fits. Holds the lock. */
  private void evict() {
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        totalBytes > maxBytes && it.hasNext(); ) {
      Map.Entry<String, Entry> next = it.next();
      if (next.getValue().pins > 0 || next.getKey().equals(newest)) {
        continue;
      }
      try {
        Files.deleteIfExists(file(next.getKey()));
      } catch (IOException ex) {
        log.warn("cannot evict {} from the fetch cache: {}", next.getKey(), ex.toString());
        continue;
      }
      totalBytes -= next.getValue().size;
      it.remove();
    }
  }

  /** Keeps the order of use across restarts; a failure only costs ordering. */
  private void touch(String key) {
    try {
      Files.setLastModifiedTime(file(key), FileTime.from(clock.instant()));
    } catch (IOException e) {
      log.debug("cannot touch {}: {}", key, e.toString());
    }
  }

  private Path file(String key) {
    return dir.resolve(key);
  }

  static String key(URI uri) {
    return HexFormat.of().formatHex(Downloader.sha256().digest(uri.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private synchronized void load() {
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (p.getFileName().toString().matches("[0-9a-f]{64}")) {
            files.add(p);
          } else {
            Files.deleteIfExists(p); // a download cut short by a restart
          }
        }
      }
      files.sort(Comparator.comparing(FetchCache::modified));
      for (Path p : files) {
        long size = Files.size(p);
        entries.put(p.getFileName().toString(), new Entry(size, 0));
        totalBytes += size;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fetch cache " + dir, e);
    }
    evict();
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
