package dev.synedge.loadtest.proc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * This process's open-file limit ({@code RLIMIT_NOFILE}, what {@code ulimit -n} shows). A run
 * with thousands of connections needs one descriptor each; {@link #ensure} raises the soft
 * limit up to the hard limit when needed, and otherwise says what to do.
 */
public final class FileLimits {

    /** Current soft and hard limits. */
    public record Limits(long soft, long hard) {}

    private static final int RLIMIT_NOFILE = 7;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETRLIMIT = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("getrlimit"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("setrlimit"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private FileLimits() {}

    public static Limits current() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(16, 8);
            if ((int) GETRLIMIT.invokeExact(RLIMIT_NOFILE, rlimit) != 0) {
                throw new IllegalStateException("getrlimit(RLIMIT_NOFILE) failed");
            }
            return new Limits(rlimit.get(JAVA_LONG, 0), rlimit.get(JAVA_LONG, 8));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("FFM downcall failed", t);
        }
    }

    /**
     * Makes sure at least {@code needed} descriptors can be open, raising the soft limit (never
     * above the hard limit). Throws with the fix when the hard limit is too low.
     */
    public static Limits ensure(long needed) {
        Limits limits = current();
        if (limits.soft() >= needed) {
            return limits;
        }
        if (limits.hard() < needed) {
            throw new IllegalStateException("this run needs " + needed + " open files but the hard limit (ulimit -Hn) is "
                    + limits.hard() + ": raise it (as root: ulimit -Hn " + needed + " in the shell that starts it, "
                    + "or LimitNOFILE= in a systemd unit) and run again");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(16, 8);
            rlimit.set(JAVA_LONG, 0, limits.hard());
            rlimit.set(JAVA_LONG, 8, limits.hard());
            if ((int) SETRLIMIT.invokeExact(RLIMIT_NOFILE, rlimit) != 0) {
                throw new IllegalStateException("setrlimit(RLIMIT_NOFILE, " + limits.hard() + ") failed; run 'ulimit -n "
                        + needed + "' before starting");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("FFM downcall failed", t);
        }
        return current();
    }
}
