package dev.synedge.cli;

import io.netty.util.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code synedge --version} prints, for every command: synedge's version and the commit
 * it was built from (both baked in by the build, version.properties; "unknown" when it was
 * built outside a git checkout), then the JDK and Netty it runs on, read from the running
 * process, which is what matters when either differs from what the build used.
 */
final class Versions implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Version netty = Version.identify().get("netty-common");
        return new String[] {
                "synedge " + build.getProperty("version", "unknown"),
                "commit " + build.getProperty("commit", "unknown"),
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.home") + ")",
                "Netty " + (netty == null ? "unknown" : netty.artifactVersion())};
    }
}
