package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser client of {@link NotesServer}, in two headless Chromium pages driven by Playwright
 * ({@code src/test/browser/two-pages.mjs}), each signed in with its own token: an edit in one
 * page appears in the other (tags too), and a page that went offline and edited converges with
 * the other when it comes back. Screenshots are
 * kept in {@code target/browser-test}. Needs Node.js and Chromium (found by {@link #chromium()};
 * {@code ./run-tests.sh} installs both); installs Playwright's core package from npm when it is
 * missing.
 */
class BrowserTest {
  private static final Path SCRIPTS = Path.of("src/test/browser");
  private static final Path SCREENSHOTS = Path.of("target/browser-test");

  @TempDir Path data;
  private final Tokens tokens =
      new Tokens(Map.of("page-a", Tokens.newToken(), "page-b", Tokens.newToken()));

  @Test
  void twoPagesConvergeAcrossAnOfflineEdit() throws Exception {
    installPlaywright();
    Files.createDirectories(SCREENSHOTS);
    try (NotesServer server = new NotesServer(0, 0, 0, data.resolve("server"), tokens)) {
      ProcessBuilder script = new ProcessBuilder("node", "two-pages.mjs", server.httpUrl(),
              SCREENSHOTS.toAbsolutePath().toString(), tokens.tokenOf("page-a").orElseThrow(),
              tokens.tokenOf("page-b").orElseThrow())
          .directory(SCRIPTS.toFile())
          .redirectErrorStream(true);
      script.environment().put("CHROMIUM", chromium().toString());
      Process test = script.start();
      String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(test.waitFor(3, TimeUnit.MINUTES)).as(output).isTrue();
      assertThat(test.exitValue()).as(output).isZero();
      assertThat(output).contains("B came back; both pages hold");
      assertThat(server.node().repository(Note.class, String.class).findAll()).hasSize(3);
    }
    assertThat(SCREENSHOTS.resolve("page-a.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("page-b.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("page-b-offline.png")).isNotEmptyFile();
  }

  /**
   * The browser: {@code CHROMIUM} when set, else Chromium or Chrome where Debian, Ubuntu and
   * macOS put them. {@code ./run-tests.sh} installs one when there is none.
   */
  private static Path chromium() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        candidates.add(Path.of(dir, name).toString());
      }
    }
    candidates.add("/Applications/Chromium.app/Contents/MacOS/Chromium");
    candidates.add("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new AssertionError("no Chromium found (looked at CHROMIUM, then "
            + candidates + "): install it (Debian: apt-get install chromium; macOS: brew install"
            + " --cask chromium) or set CHROMIUM to its path; ./run-tests.sh does this for you"));
  }

  private static void installPlaywright() throws IOException, InterruptedException {
    if (Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
      return;
    }
    Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund"))
        .directory(SCRIPTS.toFile())
        .redirectErrorStream(true)
        .redirectOutput(new File("target/npm-install.log"))
        .start();
    assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0)
        .as("npm install in %s (see target/npm-install.log)", SCRIPTS)
        .isTrue();
  }
}
