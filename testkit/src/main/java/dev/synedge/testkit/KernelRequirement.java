package dev.synedge.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards a test that needs a kernel feature (or a tool, or root). Where the feature is truly
 * absent the test is skipped with the reason printed; under {@code SYNEDGE_REQUIRE_KERNEL=1}
 * (set by {@code .ci/run}) the same absence fails the test, so CI exercises every feature.
 */
public final class KernelRequirement {

    public static final String ENV = "SYNEDGE_REQUIRE_KERNEL";

    private KernelRequirement() {}

    /** True when absences must fail rather than skip. */
    public static boolean strict() {
        return "1".equals(System.getenv(ENV));
    }

    /**
     * Returns normally when {@code present}; otherwise skips (or, when strict, fails) the
     * current test with {@code feature: why}.
     */
    public static void require(boolean present, String feature, String why) {
        if (present) {
            return;
        }
        String message = feature + " unavailable: " + why;
        if (strict()) {
            Assertions.fail(message + " (" + ENV + "=1 forbids skipping)");
        }
        System.err.println("SKIP " + message);
        Assumptions.abort(message);
    }

    /** Requires that the tests run as root (sysctls, packet capture, installing peers). */
    public static void requireRoot(String why) {
        require(isRoot(), "root", why);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
