package io.dpuvpc.app;

import java.nio.file.Path;

/**
 * Where the command keeps its files. {@code bin/vpc} passes the project root as the system
 * property {@code vpc.home}; run any other way, the current folder stands in for it.
 */
public final class ProjectPaths {
    /** System property with the project root, set by {@code bin/vpc}. */
    public static final String HOME_PROPERTY = "vpc.home";
    /** Environment variable that overrides the lab's work folder. */
    public static final String WORK_ENV = "VPC_WORK";

    private ProjectPaths() {
    }

    /** The project root: {@code -Dvpc.home}, else the current folder. */
    public static Path projectRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    /** The OVN lab's folder: {@code $VPC_WORK}, else {@code <project root>/.vpc/lab}. */
    public static Path defaultLabDir() {
        String work = System.getenv(WORK_ENV);
        if (work != null && !work.isBlank()) {
            return Path.of(work).toAbsolutePath().normalize();
        }
        return projectRoot().resolve(".vpc").resolve("lab");
    }

    /**
     * The reference's example resources: {@code examples/} in the project root or the nearest
     * folder above it that has them (tests run in a module's folder).
     *
     * @throws IllegalStateException naming where it looked
     */
    public static Path examples() {
        for (Path dir = projectRoot(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.isRegularFile(dir.resolve("examples").resolve("00-isolationclass.yaml"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/00-isolationclass.yaml in " + projectRoot()
                + " or above it: run from the project (bin/vpc sets -D" + HOME_PROPERTY + ")");
    }

    /** How the user invoked us, for hints in messages: {@code bin/vpc} from the launcher, else {@code vpc}. */
    public static String launcher() {
        return System.getProperty("vpc.launcher", "vpc");
    }
}
