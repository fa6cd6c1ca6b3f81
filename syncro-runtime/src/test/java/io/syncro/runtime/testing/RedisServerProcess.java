package io.syncro.runtime.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A redis-server of the test's own, on a free loopback port, keeping its data in a directory
 * with an fsync'ed append-only file, so it can be stopped and started again without losing a
 * write: what a Redis restart test needs, without touching the machine's shared server.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final Path directory;
  private final int port;
  private Process process;

  private RedisServerProcess(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  /** Starts a server keeping its data in {@code directory}. */
  public static RedisServerProcess start(Path directory) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RedisServerProcess server = new RedisServerProcess(directory, port);
    server.startAgain();
    return server;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the server (again), and waits until it answers. */
  public void startAgain() throws IOException {
    process = new ProcessBuilder("redis-server",
            "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--dir", directory.toString(), "--appendonly", "yes", "--appendfsync", "always",
            "--save", "")
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("redis.log").toFile())
        .start();
    Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> {
          try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
          }
        });
  }

  /** Kills the server at once, as a crash or an outage would. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
