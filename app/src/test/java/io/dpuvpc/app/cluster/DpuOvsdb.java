package io.dpuvpc.app.cluster;

import io.dpuvpc.ovn.lab.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The OVS database of a DPU whose agent runs in this JVM: an {@code ovsdb-server} on an empty
 * vswitch database in a folder of its own, reached on a unix socket. No vswitchd: the agent's
 * configuration rows (bridges, ports, interfaces) need none.
 */
final class DpuOvsdb implements AutoCloseable {
  static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

  private final String remote;
  private final String pidfile;

  private DpuOvsdb(String remote, String pidfile) {
    this.remote = remote;
    this.pidfile = pidfile;
  }

  /** Starts the server on a new database in {@code folder}. */
  static DpuOvsdb start(Path folder) throws Exception {
    Files.createDirectories(folder);
    Path db = folder.resolve("conf.db");
    ExternalCommand.run("ovsdb-tool", "create", db.toString(), SCHEMA).orThrow();
    String pidfile = folder.resolve("ovsdb.pid").toString();
    ExternalCommand.run("ovsdb-server", db.toString(), "--detach", "--no-chdir", "--pidfile=" + pidfile,
        "--log-file=" + folder.resolve("ovsdb.log"), "--unixctl=" + folder.resolve("ovsdb.ctl"),
        "--remote=punix:" + folder.resolve("db.sock")).orThrow();
    return new DpuOvsdb("unix:" + folder.resolve("db.sock"), pidfile);
  }

  /** The agent's {@code ovsdbRemote}. */
  String remote() {
    return remote;
  }

  /** {@code ovs-vsctl --no-wait} on this database; what it printed. */
  String vsctl(String... args) {
    List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--no-wait", "--db=" + remote));
    command.addAll(List.of(args));
    return ExternalCommand.run(Duration.ofSeconds(10), command).orThrow().stdout();
  }

  @Override
  public void close() {
    ExternalCommand.run("pkill", "-F", pidfile);
  }
}
