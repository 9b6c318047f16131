package dev.corral.dist;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server command in the foreground until the JVM is asked to stop (Ctrl-C, SIGTERM), then runs
 * its stop sequence once, inside the shutdown hook, so that tasks are handled before the process exits.
 */
final class ServerRun {
  private ServerRun() {}

  static int untilShutdown(Runnable stop) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop.run();
      } finally {
        stopped.countDown();
      }
    }, "corral-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
