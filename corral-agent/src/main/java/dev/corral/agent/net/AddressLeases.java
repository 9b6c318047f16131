package dev.corral.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Container addresses, one lease file per address in use ({@code DIR/172.31.0.7}, holding the task id).
 * The files are the checkpoint: an agent restarted while containers run sees their leases and does not
 * hand their addresses out again. Creating the file with {@code CREATE_NEW} is the allocation, so workers
 * may lease concurrently without a lock. The search starts after the last address leased, so an address
 * just released is not reused at once (a peer may still hold it in its ARP cache).
 */
public final class AddressLeases {
  private final Path dir;
  private final Subnet subnet;
  private final AtomicInteger next = new AtomicInteger();

  public AddressLeases(Path dir, Subnet subnet) {
    this.dir = dir;
    this.subnet = subnet;
  }

  /** Leases a free address to the task; throws when the range is full. */
  public String lease(String taskId) throws IOException {
    Files.createDirectories(dir);
    int capacity = subnet.capacity();
    int start = Math.floorMod(next.get(), capacity);
    for (int n = 0; n < capacity; n++) {
      int i = (start + n) % capacity;
      String address = subnet.address(i);
      try {
        Files.writeString(dir.resolve(address), taskId, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        next.set(i + 1);
        return address;
      } catch (FileAlreadyExistsException taken) {
        // in use: try the next one
      }
    }
    throw new IOException("no free address left in the container network " + subnet);
  }

  /** Releases the address if the task holds it; a lease of another task is left alone. */
  public void release(String address, String taskId) throws IOException {
    Path file = dir.resolve(address);
    if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(taskId)) {
      Files.deleteIfExists(file);
    }
  }

  /** Whether the address is leased (to anyone). */
  public boolean leased(String address) {
    return Files.exists(dir.resolve(address));
  }
}
