package dev.synedge.loadtest.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations the way scenario files write them: {@code 500ms}, {@code 2s}, {@code 1m}. */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            return ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(text)).getDuration("d");
        } catch (ConfigException e) {
            throw new TypeConversionException("'" + text + "' is no duration (e.g. 500ms, 2s, 1m)");
        }
    }
}
