package dev.synedge.layering;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * proxy-server's packages keep to what their package-info files say they may use, and import
 * no package that imports them back. See {@link Layering} for the rules.
 *
 * <p>Only this module needs the check. http-codec ({@code dev.synedge.http}) and
 * native-sockets ({@code dev.synedge.net}) are one package each, so they have no layers to
 * keep apart, and what they may use from outside is bounded by their poms: Maven compiles them
 * against nothing else.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void everyPackageKeepsToItsMayUseLineAndNoneImportsInACycle() throws IOException {
        List<Layering.Source> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(LayeringTest::read).toList();
        }
        // Found where they are, not a stray empty directory: the check would pass on nothing.
        assertThat(sources.size()).as("sources under " + MAIN.toAbsolutePath()).isGreaterThan(50);
        assertThat(sources.stream().filter(s -> s.path().endsWith("package-info.java")).count()).isGreaterThan(10);
        assertThat(Layering.check(sources, LayeringTest::onClasspath)).isEmpty();
    }

    /** A synedge package of another module (http, net), found where its classes are. */
    private static boolean onClasspath(String shortName) {
        return LayeringTest.class.getClassLoader().getResource(
                (Layering.ROOT + shortName).replace('.', '/') + "/") != null;
    }

    private static Layering.Source read(Path file) {
        try {
            return new Layering.Source(MAIN.relativize(file).toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
