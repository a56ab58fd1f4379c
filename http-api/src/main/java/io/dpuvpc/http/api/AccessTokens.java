package io.dpuvpc.http.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the admin API accepts, read from a token file: one token per line, optionally
 * followed by {@code read-only} (default {@code read-write}); blank lines and {@code #} comments
 * are skipped. Tokens are compared in constant time and never appear in messages or logs.
 */
public final class AccessTokens {

    public enum Access { READ_ONLY, READ_WRITE }

    private record Entry(byte[] token, Access access) {}

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No tokens: every call is allowed (the API then listens on loopback only, see AdminServer). */
    public static AccessTokens none() {
        return new AccessTokens(List.of());
    }

    public boolean required() {
        return !entries.isEmpty();
    }

    public static AccessTokens read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    static AccessTokens parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            Access access = Access.READ_WRITE;
            if (fields.length == 2 && fields[1].equals("read-only")) {
                access = Access.READ_ONLY;
            } else if (fields.length != 1 && !(fields.length == 2 && fields[1].equals("read-write"))) {
                // The line is not echoed: it holds a token.
                throw new IllegalArgumentException(source + " line " + (i + 1)
                        + ": expected a token, optionally followed by read-only or read-write");
            }
            if (fields[0].length() < 16) {
                throw new IllegalArgumentException(source + " line " + (i + 1)
                        + ": a token must have at least 16 characters (e.g. from: openssl rand -hex 24)");
            }
            entries.add(new Entry(fields[0].getBytes(StandardCharsets.UTF_8), access));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no token: add one per line");
        }
        return new AccessTokens(entries);
    }

    /** The access a presented token grants, empty when it is not one of ours. */
    public Optional<Access> accessOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        Access found = null;
        for (Entry entry : entries) {
            // Every entry is compared, so the time taken says nothing about which matched.
            if (MessageDigest.isEqual(entry.token(), given) && found == null) {
                found = entry.access();
            }
        }
        return Optional.ofNullable(found);
    }
}
