package dev.synedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Reads a configuration: the user's HOCON over the built-in {@code reference.conf}, validated
 * into a {@link ProxyConfig}. Every problem found is reported at once in one
 * {@link ConfigException}, each with its file, line and key.
 *
 * <p>Loading is pure and may run on any thread but an event loop: it reads the file and
 * resolves endpoint hostnames (blocking), and changes nothing. A reload calls it again and
 * swaps the new snapshot in only when it returns.
 *
 * <p>Substitutions ({@code ${synedge.http.via}}, {@code ${?SYNEDGE_PORT}}) are resolved across
 * the merged configuration and the environment, as Typesafe Config does.
 */
public final class ConfigLoader {

    private static final String ROOT = "synedge";

    private ConfigLoader() {}

    /** Loads {@code file} over the built-in defaults. */
    public static ProxyConfig load(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            String why = Files.exists(file) ? "is not a regular file" : "does not exist";
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), -1, false, "",
                    "configuration file " + why)));
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(Problems.fromTypesafe(e, file.toString())));
        }
        return build(user, file.toString());
    }

    /**
     * Loads HOCON text over the built-in defaults; problems name {@code originDescription} as
     * their file. An empty text yields the defaults alone.
     */
    public static ProxyConfig load(String hoconText, String originDescription) throws ConfigException {
        Config user;
        try {
            user = ConfigFactory.parseString(hoconText,
                    ConfigParseOptions.defaults().setOriginDescription(originDescription));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(Problems.fromTypesafe(e, originDescription)));
        }
        return build(user, originDescription);
    }

    private static ProxyConfig build(Config user, String source) throws ConfigException {
        Config reference = reference();
        Config merged;
        try {
            merged = user.withFallback(reference).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(Problems.fromTypesafe(e, source)));
        }
        Problems problems = new Problems();
        for (String key : user.root().keySet()) {
            if (!key.equals(ROOT)) {
                problems.add(user.root().get(key).origin(), key, UnknownKeys.unknown(key, Set.of(ROOT)));
            }
        }
        ConfigValue synedge = merged.root().get(ROOT);
        if (!(synedge instanceof ConfigObject object)) {
            throw new ConfigException(List.of(Problems.locate(synedge.origin(), ROOT,
                    "expected an object { ... }, got " + Section.describe(synedge))));
        }
        ProxyConfig config = new ProxyConfigReader(object, (ConfigObject) reference.root().get(ROOT), problems)
                .read();
        problems.throwIfAny();
        return config;
    }

    /** The built-in defaults, parsed fresh so that nothing (system properties included) leaks in. */
    private static Config reference() {
        try {
            Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
                    Problems.REFERENCE, ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
            if (!(reference.root().get(ROOT) instanceof ConfigObject)) {
                throw new IllegalStateException("reference.conf has no synedge object");
            }
            return reference;
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalStateException("the built-in reference.conf is broken: " + e.getMessage(), e);
        }
    }
}
