package io.opensase.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code audit:} section into an {@link AuditConfig}. File names are taken from the configuration
 * file's folder and only recorded; the audit log opens (and creates) them at start.
 */
final class AuditSection
{
    private static final Set<String> AUDIT = Set.of("log", "anchor", "key");

    private AuditSection()
    {
    }

    static AuditConfig read(final YamlNode node, final Path folder) throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(AUDIT);
        final Path log = ConfigLoader.required(node, fields, "log").fileIn(folder);
        final Path anchor = ConfigLoader.required(node, fields, "anchor").fileIn(folder);
        final Path key = ConfigLoader.required(node, fields, "key").fileIn(folder);
        try
        {
            return new AuditConfig(log, anchor, key);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.rejected(ex);
        }
    }
}
