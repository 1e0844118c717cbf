package io.opensase.ips.dlp;

import java.nio.file.Path;
import java.util.List;

/** The DLP profiles of one configuration, as read from YAML; immutable. Compile it with {@link DlpEngine}. */
public record DlpPolicy(List<DlpProfile> profiles)
{
    public DlpPolicy
    {
        profiles = List.copyOf(profiles);
    }

    /** Reads a profile file ({@code profiles:} at the top). */
    public static DlpPolicy load(final Path file) throws DlpProfileException
    {
        return DlpProfileParser.parse(file);
    }
}
