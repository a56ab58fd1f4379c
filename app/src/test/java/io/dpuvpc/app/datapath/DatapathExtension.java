package io.dpuvpc.app.datapath;

import io.dpuvpc.ovn.lab.OvnCentralExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Each datapath E2E class's own OVN central ({@link OvnCentralExtension}), work folder and
 * controller ({@link DatapathScenario}), started before its tests and stopped after them: the
 * controller and the lab first, the OVN central last (its logs are kept when a test failed).
 */
final class DatapathExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final OvnCentralExtension ovn = new OvnCentralExtension();
  private final java.util.function.Supplier<String> controllerSettings;
  private Path dir;
  private DatapathScenario scenario;

  DatapathExtension() {
    this(() -> "");
  }

  /** With more controller settings (HOCON), read when the class starts (after extensions ordered before this one). */
  DatapathExtension(java.util.function.Supplier<String> controllerSettings) {
    this.controllerSettings = controllerSettings;
  }

  DatapathScenario scenario() {
    if (scenario == null) {
      throw new IllegalStateException("DatapathExtension has not started this class's controller");
    }
    return scenario;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ovn.beforeAll(context);
    dir = Files.createTempDirectory("datapath-e2e");
    scenario = DatapathScenario.start(context.getRequiredTestClass().getSimpleName(), dir, ovn.central(),
        controllerSettings.get());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ovn.afterEach(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (scenario != null) {
        scenario.close();
      }
    } finally {
      scenario = null;
      ovn.afterAll(context);
      deleteQuietly(dir);
    }
  }

  /** The work folder holds logs and sockets of stopped daemons only; what cannot go is left. */
  private static void deleteQuietly(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
