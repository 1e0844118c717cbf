package io.opensase.ips.dlp;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where an exact-data-match table comes from. With {@code csv} the table is built from it at compile time
 * (into {@code mapFile} when given, else in memory); without it {@code mapFile} must already hold a table
 * built with the same secret.
 *
 * @param csv        the sensitive values, a header row naming the columns; null to open {@code mapFile}
 * @param secretFile the per-deployment HMAC key, read as raw bytes (at least 16)
 * @param mapFile    the Chronicle Map file holding the keyed hashes; null for an in-memory table
 * @param columns    the columns to load, by header name, in file order
 */
public record EdmSpec(Path csv, Path secretFile, Path mapFile, Map<String, EdmColumnType> columns)
{
    public EdmSpec
    {
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
    }
}
