package dev.synedge.layering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The layering check on made-up sources: it passes what the rules allow and reports the rest. */
class LayeringScannerTest {

    private static final Set<String> ELSEWHERE = Set.of("http", "net");

    private static Layering.Source info(String pkg, String mayUse) {
        return new Layering.Source(pkg + "/package-info.java", """
                /**
                 * The %s package.
                 *
                 * <p>May use: %s.
                 */
                package dev.synedge.%s;
                """.formatted(pkg, mayUse, pkg));
    }

    private static Layering.Source source(String pkg, String name, String imports, String body) {
        return new Layering.Source(pkg + "/" + name + ".java", """
                package dev.synedge.%s;

                %s

                final class %s {
                %s
                }
                """.formatted(pkg, imports, name, body));
    }

    private static List<String> check(Layering.Source... sources) {
        return Layering.check(List.of(sources), ELSEWHERE::contains);
    }

    @Test
    void allowedImportsPass() {
        assertThat(check(
                info("low", "http, Netty"),
                source("low", "Low", """
                        import dev.synedge.http.RequestHead;
                        import io.netty.buffer.ByteBuf;
                        import java.util.List;
                        import static java.util.Objects.requireNonNull;
                        """, "ByteBuf buf; dev.synedge.low.Other other;"),
                info("high", "low, SLF4J"),
                source("high", "High", """
                        import dev.synedge.low.Low;
                        import org.slf4j.Logger;
                        import sun.misc.Signal;
                        """, "Low low;"))).isEmpty();
    }

    @Test
    void aForbiddenSynedgeImportIsReportedWithFileImportAndRule() {
        assertThat(check(
                info("low", "http"),
                source("low", "Low", "", ""),
                info("high", "http"),
                source("high", "High", "import dev.synedge.low.Low;", "")))
                .containsExactly("high/High.java:3: dev.synedge.low.Low: package high may not use low (May use: http)");
    }

    @Test
    void aForbiddenLibraryIsReported() {
        assertThat(check(
                info("low", "http, Netty"),
                source("low", "Low", "import io.netty.buffer.ByteBuf;\nimport org.slf4j.LoggerFactory;", "")))
                .containsExactly("low/Low.java:4: org.slf4j.LoggerFactory: package low may not use SLF4J (May use: http, Netty)");
    }

    @Test
    void qualifiedNamesInCodeCountAndNamesInCommentsAndStringsDoNot() {
        assertThat(check(
                info("low", "http"),
                source("low", "Low", "", """
                        // io.netty.buffer.ByteBuf in a comment
                        /** {@link dev.synedge.net.Errno} in javadoc */
                        String s = "org.slf4j.Logger in a string";
                        char c = '"';
                        String t = \"""
                            ch.qos.logback in a text block
                            \""";
                        int errno = dev.synedge.net.Errno.EADDRINUSE;
                        """)))
                .containsExactly("low/Low.java:13: dev.synedge.net.Errno.EADDRINUSE: package low may not use net (May use: http)");
    }

    @Test
    void aLibraryNoLineCanNameIsReported() {
        assertThat(check(
                info("low", "http"),
                source("low", "Low", "import com.google.common.collect.ImmutableList;", "")))
                .singleElement().asString()
                .startsWith("low/Low.java:3: com.google.common.collect.ImmutableList: a library no May use line can name");
    }

    @Test
    void aCycleIsReportedWithTheImportsThatCloseIt() {
        assertThat(check(
                info("a", "b"),
                source("a", "A", "import dev.synedge.b.B;", ""),
                info("b", "c"),
                source("b", "B", "import dev.synedge.c.C;", ""),
                info("c", "a"),
                source("c", "C", "import dev.synedge.a.A;", "")))
                .containsExactly("import cycle: a -> b -> c -> a (a/A.java:3: dev.synedge.b.B; b/B.java:3: dev.synedge.c.C; "
                        + "c/C.java:3: dev.synedge.a.A)");
    }

    @Test
    void aPackageWithoutItsRuleIsReported() {
        assertThat(check(
                source("bare", "Bare", "", ""),
                new Layering.Source("prose/package-info.java", """
                        /**
                         * Uses http and Netty.
                         */
                        package dev.synedge.prose;
                        """),
                info("typo", "htp, Nety")))
                .containsExactly("package bare has no package-info.java",
                        "prose/package-info.java: the javadoc does not end with a line \"<p>May use: a, b, c.\"",
                        "typo/package-info.java: May use names htp, which is neither a synedge package nor one of "
                                + "Netty, Caffeine, Typesafe Config, SLF4J, logback, picocli, Prometheus",
                        "typo/package-info.java: May use names Nety, which is neither a synedge package nor one of "
                                + "Netty, Caffeine, Typesafe Config, SLF4J, logback, picocli, Prometheus");
    }

    @Test
    void theMayUseLineMustEndTheJavadoc() {
        assertThat(check(new Layering.Source("late/package-info.java", """
                /**
                 * <p>May use: http.
                 *
                 * <p>More prose after it.
                 */
                package dev.synedge.late;
                """))).containsExactly(
                "late/package-info.java: the javadoc does not end with a line \"<p>May use: a, b, c.\"");
    }
}
