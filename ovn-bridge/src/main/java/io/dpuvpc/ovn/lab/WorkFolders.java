package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The throw-away folders labs run in (demo, benchmarks, tests). */
public final class WorkFolders {
    private WorkFolders() {
    }

    /**
     * Deletes a folder and everything in it, once its daemons are stopped. Returns false (and
     * leaves the rest) if something could not be deleted: a leftover temp folder is harmless,
     * so callers report it rather than fail.
     */
    public static boolean deleteTree(Path root) {
        if (!Files.exists(root)) {
            return true;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
