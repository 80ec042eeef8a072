package dev.synedge.testkit;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and temporarily changes sysctls through {@code /proc/sys}. A change is undone when its
 * {@link Change} is closed, so tests use try-with-resources and leave the host as they found it.
 */
public final class Sysctl {

    private Sysctl() {}

    /** The file behind a dotted sysctl name, e.g. {@code net.ipv4.tcp_fastopen}. */
    public static Path path(String name) {
        return Path.of("/proc/sys", name.replace('.', '/'));
    }

    public static boolean exists(String name) {
        return Files.exists(path(name));
    }

    /**
     * Reads in one call from offset 0, as {@code dev.synedge.net.KernelState} does and for its
     * reason: integer sysctls give end of file at any later offset, and {@code Files.readString}
     * reads one byte first.
     */
    public static String read(String name) {
        try (InputStream in = new FileInputStream(path(name).toFile())) {
            byte[] text = new byte[4096];
            int n = in.read(text);
            return new String(text, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("read sysctl " + name, e);
        }
    }

    public static int readInt(String name) {
        return Integer.parseInt(read(name));
    }

    /**
     * Sets {@code name} to {@code value} (root needed; skips or fails through
     * {@link KernelRequirement} otherwise) and returns the handle that restores the old value.
     */
    public static Change set(String name, String value) {
        return set(name, value, null);
    }

    /**
     * As {@link #set(String, String)}, but closing writes {@code restoreTo} when not null, for a
     * sysctl whose reading would mean something else written back: the Fast Open key reads as
     * zeros until the kernel makes one, and writing zeros would make every cookie predictable.
     */
    public static Change set(String name, String value, String restoreTo) {
        String why = path(name) + " does not exist";
        if (name.startsWith("net.core.")) {
            why += " (several net.core sysctls exist only in the initial network namespace)";
        }
        KernelRequirement.require(exists(name), "sysctl " + name, why);
        KernelRequirement.requireRoot("setting sysctl " + name);
        String old = read(name);
        write(name, value);
        return new Change(name, restoreTo != null ? restoreTo : old);
    }

    private static void write(String name, String value) {
        try {
            Files.writeString(path(name), value);
        } catch (IOException e) {
            throw new UncheckedIOException("write sysctl " + name + "=" + value, e);
        }
    }

    /** A sysctl change in force until {@link #close()}. */
    public static final class Change implements AutoCloseable {
        private final String name;
        private final String previous;
        private boolean closed;

        private Change(String name, String previous) {
            this.name = name;
            this.previous = previous;
        }

        public String previous() {
            return previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                write(name, previous);
            }
        }
    }
}
