package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded simulations (see {@link ConvergenceSimulation}): after random concurrent offline work,
 * every node ends with the same memos and boards, and each client with exactly the docs it may
 * see. {@code -Dsyncro.simulation.seeds=N} runs N seeds (200 by default), from
 * {@code -Dsyncro.simulation.firstSeed=F} (0 by default),
 * {@code -Dsyncro.simulation.seed=S} replays one, {@code -Dsyncro.simulation.repeat=R} runs each
 * seed R times (a failure that depends on thread timing may need many), trimming a node's history
 * is one of the steps unless {@code -Dsyncro.simulation.trims=false} (see
 * {@link ConvergenceSimulation#TRIMS}).
 *
 * <p>The simulated server refuses clients' changes to docs they may not see, and logs each
 * refusal, on purpose, as nodes restarted in the middle of traffic log what reached them while
 * they closed: the log is kept out of the output ({@link CapturedLog#quiet}) and printed whole
 * with a failure's report.
 */
class ConvergenceSimulationTest {
  private static final int STEPS = 60;

  @Test
  void everyNodeEndsWithTheSameMemos(@TempDir Path dir) throws Exception {
    String one = System.getProperty("syncro.simulation.seed");
    long seeds = Long.getLong("syncro.simulation.seeds", 200);
    long first = Long.getLong("syncro.simulation.firstSeed", 0);
    LongStream runs = one != null
        ? LongStream.of(Long.parseLong(one)) : LongStream.range(first, first + seeds);
    long repeat = Long.getLong("syncro.simulation.repeat", 1);
    for (long seed : runs.toArray()) {
      for (long time = 1; time <= repeat; time++) {
        CapturedLog log = CapturedLog.quiet();
        try (log; ConvergenceSimulation simulation =
            new ConvergenceSimulation(seed, dir.resolve("seed-" + seed + "-" + time))) {
          try {
            simulation.run(STEPS);
          } catch (Exception | AssertionError e) {
            fail("the nodes did not converge" + (repeat > 1 ? " (run " + time + ")" : "")
                + ":\n" + simulation.report() + "\nwhat the nodes logged:\n" + log.text(), e);
          }
        }
      }
    }
  }
}
