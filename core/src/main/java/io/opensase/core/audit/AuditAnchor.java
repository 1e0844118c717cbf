package io.opensase.core.audit;

import io.opensase.core.report.JsonWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What the audit log must end with, kept outside the log's directory: the log file's name, the number of
 * its last entry and that entry's mac. One JSON line, {@code {"log":"audit.log","seq":12,"mac":"9f..."}};
 * before the first entry {@code seq} is 0 and {@code mac} the all-zero {@link AuditEntry#ZERO}. Immutable;
 * any thread.
 *
 * @param log the log file's name (no directory).
 * @param seq the last entry's number; 0 when the log holds none.
 * @param mac the last entry's mac, 64 hex digits.
 */
public record AuditAnchor(String log, long seq, String mac)
{
    private static final Set<String> FIELDS = Set.of("log", "seq", "mac");

    public AuditAnchor
    {
        if (null == log || log.isEmpty() || log.contains("/"))
        {
            throw new IllegalArgumentException("log must be a file name, got '" + log + "'");
        }
        if (seq < 0)
        {
            throw new IllegalArgumentException("seq must be at least 0, got " + seq);
        }
        if (!AuditEntry.isDigest(mac) || (0 == seq && !AuditEntry.ZERO.equals(mac)))
        {
            throw new IllegalArgumentException("mac must be 64 lowercase hex digits (all zero for seq 0), got '"
                + mac + "'");
        }
    }

    /** The anchor's one line, newline included. */
    public String line()
    {
        return JsonWriter.compact().beginObject().field("log", log).field("seq", seq).field("mac", mac).endObject()
            + "\n";
    }

    /**
     * Reads an anchor file.
     *
     * @throws AuditException naming the file when it is missing, unreadable or not an anchor (and why).
     */
    public static AuditAnchor read(final Path file) throws AuditException
    {
        final String text;
        try
        {
            if (Files.exists(file) && !Files.isRegularFile(file))
            {
                throw new AuditException(file + ": not a file");
            }
            final byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 4096)
            {
                throw new AuditException(file + ": not an audit anchor: " + bytes.length + " bytes");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new AuditException(file + ": " + AuditKey.reason(ex), ex);
        }
        if (!text.endsWith("\n"))
        {
            throw new AuditException(file + ": not an audit anchor: "
                + (text.isEmpty() ? "empty" : "no newline at the end"));
        }
        try
        {
            final Map<String, Object> members = FlatJson.parse(text.substring(0, text.length() - 1));
            if (!members.keySet().equals(FIELDS))
            {
                throw new FlatJson.FormatException("expected the fields log, seq, mac; found "
                    + String.join(", ", members.keySet()));
            }
            if (!(members.get("log") instanceof String log) || !(members.get("seq") instanceof Long seq)
                || !(members.get("mac") instanceof String mac))
            {
                throw new FlatJson.FormatException("log and mac must be strings and seq a number");
            }
            return new AuditAnchor(log, seq, mac);
        }
        catch (final FlatJson.FormatException | IllegalArgumentException ex)
        {
            throw new AuditException(file + ": not an audit anchor: " + ex.getMessage());
        }
    }

    /** Replaces the anchor file atomically (temporary file, sync, rename, directory sync). */
    public void write(final Path file) throws AuditException
    {
        AuditFiles.replace(file, line().getBytes(StandardCharsets.UTF_8));
    }
}
