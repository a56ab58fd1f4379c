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

    /** How the user invoked us, for hints in messages: {@code bin/vpc} from the launcher, else {@code vpc}. */
    public static String launcher() {
        return System.getProperty("vpc.launcher", "vpc");
    }
}
