package io.dpuvpc.persistence.cassandra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The classpath of the real Cassandra server ({@code org.apache.cassandra:cassandra-all} and its
 * transitive dependencies), resolved by Maven and cached in a file.
 *
 * <p>Cassandra runs in its own JVM because its Netty, Jackson and Guava differ from ours, so its
 * classpath cannot be ours. The persistence jar carries a standalone pom
 * ({@code cassandra-server-pom.xml}, no parent, one dependency) as a resource. On first use it is
 * copied next to the cache file and Maven writes the classpath with
 * {@code mvn -q -o -f cassandra-server-pom.xml dependency:build-classpath -Dmdep.outputFile=<cache>};
 * if the offline run fails (a fresh machine), the same command runs online. The cache holds the
 * pom's SHA-256 on its first line, so changing the pom (a new Cassandra version) re-resolves, and
 * it is re-resolved as well if any jar it names has gone from the local repository.
 *
 * <p>Resolving at run time rather than at build time keeps the persistence build free of a nested
 * Maven run and works the same from the IDE, the tests and the packaged app. It needs {@code mvn}
 * on the PATH (or {@value #MVN_PROPERTY}); the system property {@value #CLASSPATH_PROPERTY} or the
 * environment variable {@value #CLASSPATH_ENV} skip Maven altogether with a ready classpath.
 */
public final class CassandraClasspath {
    /** System property: a ready Cassandra classpath ({@code File.pathSeparator}-separated). */
    public static final String CLASSPATH_PROPERTY = "dpuvpc.cassandra.classpath";
    /** Environment variable: a ready Cassandra classpath. */
    public static final String CLASSPATH_ENV = "DPUVPC_CASSANDRA_CLASSPATH";
    /** System property: the Maven executable (default {@code mvn} on the PATH). */
    public static final String MVN_PROPERTY = "dpuvpc.mvn";

    static final String POM_RESOURCE = "cassandra-server-pom.xml";
    private static final String HEADER = "# cassandra-server-pom sha256 ";

    private CassandraClasspath() {
    }

    /**
     * The classpath, from the property or environment if set, else from {@code cacheFile} if it is
     * current, else resolved by Maven (offline, then online) and written to {@code cacheFile}.
     *
     * @throws CassandraLaunchException if Maven cannot resolve it
     */
    public static String resolve(Path cacheFile, Duration timeout) {
        String given = Optional.ofNullable(System.getProperty(CLASSPATH_PROPERTY))
                .orElse(System.getenv(CLASSPATH_ENV));
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        byte[] pom = pomBytes();
        String hash = sha256(pom);
        Optional<String> cached = readCache(cacheFile, hash);
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            Path dir = cacheFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path pomFile = dir.resolve(POM_RESOURCE);
            Files.write(pomFile, pom);
            Path raw = dir.resolve(cacheFile.getFileName() + ".raw");
            List<String> outputs = new ArrayList<>();
            for (boolean offline : new boolean[] {true, false}) {
                Files.deleteIfExists(raw);
                String out = runMaven(pomFile, raw, offline, timeout);
                if (Files.exists(raw) && !Files.readString(raw).isBlank()) {
                    String classpath = Files.readString(raw).strip();
                    // Written aside and moved, so a concurrent reader never sees half a file.
                    Path tmp = Files.createTempFile(dir, "cassandra", ".classpath.tmp");
                    Files.writeString(tmp, HEADER + hash + "\n" + classpath + "\n");
                    Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(raw);
                    return classpath;
                }
                outputs.add((offline ? "offline: " : "online: ") + out);
            }
            throw new CassandraLaunchException("Maven could not resolve cassandra-all from " + pomFile
                    + ":\n" + String.join("\n", outputs));
        } catch (IOException e) {
            throw new CassandraLaunchException("cannot resolve the Cassandra classpath into " + cacheFile
                    + ": " + e.getMessage(), e);
        }
    }

    static byte[] pomBytes() {
        try (InputStream in = CassandraClasspath.class.getResourceAsStream(POM_RESOURCE)) {
            if (in == null) {
                throw new CassandraLaunchException("resource " + POM_RESOURCE + " missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CassandraLaunchException("cannot read resource " + POM_RESOURCE, e);
        }
    }

    private static Optional<String> readCache(Path cacheFile, String hash) {
        try {
            if (!Files.isRegularFile(cacheFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(cacheFile, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(HEADER + hash)) {
                return Optional.empty();
            }
            String classpath = lines.get(1).strip();
            for (String entry : classpath.split(File.pathSeparator)) {
                if (!Files.exists(Path.of(entry))) {
                    return Optional.empty();
                }
            }
            return classpath.isEmpty() ? Optional.empty() : Optional.of(classpath);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String runMaven(Path pom, Path outputFile, boolean offline, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty(MVN_PROPERTY, isWindows() ? "mvn.cmd" : "mvn"));
        command.add("-q");
        command.add("-B");
        if (offline) {
            command.add("-o");
        }
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        command.addAll(List.of("-f", pom.toString(), "dependency:build-classpath",
                "-Dmdep.includeScope=runtime", "-Dmdep.outputFile=" + outputFile));
        Path log = outputFile.resolveSibling(outputFile.getFileName() + ".mvn.log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return "cannot run " + command.get(0) + " (" + e.getMessage() + "); set -D" + MVN_PROPERTY
                    + " or " + CLASSPATH_ENV;
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " timed out after " + timeout;
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CassandraLaunchException("interrupted while resolving the Cassandra classpath", e);
        }
        String out = Files.exists(log) ? Files.readString(log) : "";
        return String.join(" ", command) + " exited " + process.exitValue() + "\n" + out;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
