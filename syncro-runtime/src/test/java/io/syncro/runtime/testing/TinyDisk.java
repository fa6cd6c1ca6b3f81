package io.syncro.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny tmpfs mounted for a test, to fill up on purpose (CI and the developers' machines
 * run as root). Unmounted and removed on close.
 */
public final class TinyDisk implements AutoCloseable {
  private final Path mountPoint;

  private TinyDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of the given size, such as {@code "64k"}. */
  public static TinyDisk mount(String size) throws IOException, InterruptedException {
    Path mountPoint = Files.createTempDirectory("syncro-tiny-disk");
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
    return new TinyDisk(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** Takes {@code bytes} of the disk with a file; delete it to make room again. */
  public Path ballast(int bytes) throws IOException {
    return Files.write(mountPoint.resolve("ballast"), new byte[bytes]);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", mountPoint.toString());
    Files.deleteIfExists(mountPoint);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output
          + " (this test mounts a tmpfs and needs root)");
    }
  }
}
