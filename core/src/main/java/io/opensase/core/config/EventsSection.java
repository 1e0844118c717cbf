package io.opensase.core.config;

import io.opensase.core.events.EventsConfig;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code events:} section into an {@link EventsConfig}: the folder EVE lines are written to (taken
 * from the configuration file's folder, only recorded: it is created at start), the rotation size, the files
 * kept, each worker's flow record queue size and the IPS and audit event queues' size in bytes.
 */
final class EventsSection
{
    private static final Set<String> EVENTS = Set.of("dir", "max_file_bytes", "max_files", "queue_slots",
        "record_queue_bytes");

    private EventsSection()
    {
    }

    static EventsConfig read(final YamlNode node, final Path folder) throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(EVENTS);
        final Path dir = dir(ConfigLoader.required(node, fields, "dir"), folder);
        final long maxFileBytes = fields.containsKey("max_file_bytes")
            ? bytes(fields.get("max_file_bytes")) : EventsConfig.DEFAULT_MAX_FILE_BYTES;
        final int maxFiles = fields.containsKey("max_files")
            ? fields.get("max_files").integer(1, EventsConfig.MAX_MAX_FILES) : EventsConfig.DEFAULT_MAX_FILES;
        final int queueSlots = fields.containsKey("queue_slots")
            ? fields.get("queue_slots").powerOfTwo(EventsConfig.MIN_QUEUE_SLOTS, EventsConfig.MAX_QUEUE_SLOTS)
            : EventsConfig.DEFAULT_QUEUE_SLOTS;
        final int recordQueueBytes = fields.containsKey("record_queue_bytes")
            ? fields.get("record_queue_bytes").powerOfTwo(EventsConfig.MIN_RECORD_QUEUE_BYTES,
                EventsConfig.MAX_RECORD_QUEUE_BYTES)
            : EventsConfig.DEFAULT_RECORD_QUEUE_BYTES;
        try
        {
            return new EventsConfig(dir, maxFileBytes, maxFiles, queueSlots, recordQueueBytes);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.rejected(ex);
        }
    }

    private static Path dir(final YamlNode node, final Path folder) throws ConfigException
    {
        final String text = node.text();
        if (text.isEmpty() || text.indexOf('\0') >= 0)
        {
            throw node.error("expected a folder name, got '" + text.replace("\0", "\\0") + "'");
        }
        try
        {
            return folder.resolve(text).normalize();
        }
        catch (final InvalidPathException ex)
        {
            throw node.error("not a usable folder name: " + ex.getReason());
        }
    }

    /** Bytes as a whole number ({@code _} may group digits), within what {@link EventsConfig} allows. */
    private static long bytes(final YamlNode node) throws ConfigException
    {
        final String text = node.text();
        final String range = EventsConfig.MIN_MAX_FILE_BYTES + ".." + EventsConfig.MAX_MAX_FILE_BYTES;
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw node.error("expected a number of bytes " + range + ", got '" + text + "'");
        }
        if (value < EventsConfig.MIN_MAX_FILE_BYTES || value > EventsConfig.MAX_MAX_FILE_BYTES)
        {
            throw node.error("must be " + range + " bytes, got " + text);
        }
        return value;
    }
}
