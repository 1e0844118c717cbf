package io.opensase.core.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;

/**
 * The engine's tamper-evident audit log: one {@link AuditEntry} line per change (reload, configuration put,
 * capture), each sealed with HMAC-SHA256 under a key kept outside the log's directory and chained to the
 * entry before it; after each entry an anchor file outside the log's directory records the last seq and mac.
 *
 * <p>Control threads only: {@link #append} is thread-safe (one append at a time) and blocks on disk syncs;
 * workers never call it. {@link #head()} is a lock-free read for {@code /health}.
 *
 * <p>Durability: the log is opened in append mode and each entry is synced ({@code fdatasync}) before the
 * anchor is replaced (temporary file synced, renamed, directory synced): three syncs per entry, a few
 * milliseconds on an SSD, tens on a disk that honours flushes slowly. Changes come at human rates, so this
 * is the price of an entry that survives a crash the moment {@code append} returns.
 *
 * <p>At {@link #open}, the log's last entry must verify with the key and be the one the anchor names, and
 * the chain goes on from it; anything else stops the engine with the problem named, so a tampered log is
 * never silently continued. Two states a crash leaves are repaired, and the repair is itself logged as an
 * {@code audit_recover} entry: a last line cut short (removed) and an anchor one entry behind (brought up
 * to date). Only the last entry is checked at start; {@link AuditVerifier} checks every entry.
 */
public final class AuditLog implements AutoCloseable
{
    /** The principal of entries the engine writes on its own behalf. */
    public static final String ENGINE_PRINCIPAL = "opensase";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);
    private static final Set<Path> OPEN_LOGS = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private final Path file;
    private final Path realFile;
    private final Path anchorFile;
    private final Clock clock;
    private final Mac mac;
    private final FileChannel appender;
    private final FileChannel reader;
    private final List<String> recovered = new ArrayList<>();
    private volatile AuditHead head;
    private boolean closed;

    private AuditLog(final Path file, final Path realFile, final Path anchorFile, final AuditKey key,
        final Clock clock, final FileChannel appender, final FileChannel reader)
    {
        this.file = file;
        this.realFile = realFile;
        this.anchorFile = anchorFile;
        this.clock = clock;
        this.mac = key.newMac();
        this.appender = appender;
        this.reader = reader;
    }

    /** {@link #open(Path, Path, Path, Clock)} with the system clock. */
    public static AuditLog open(final Path log, final Path anchor, final Path keyFile) throws AuditException
    {
        return open(log, anchor, keyFile, Clock.systemUTC());
    }

    /**
     * Opens (or creates) the log for appending, after checking the key file (outside the log's directory,
     * owner-only), that the anchor is outside the log's directory, that no other process or {@code AuditLog}
     * has the log open, and that the log ends where its anchor says. A new log (neither log nor anchor
     * exists, or an empty log) gets an anchor at seq 0.
     *
     * @throws AuditException naming the file and the problem; nothing is written then.
     */
    public static AuditLog open(final Path log, final Path anchor, final Path keyFile, final Clock clock)
        throws AuditException
    {
        final Path directory = log.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory))
        {
            throw new AuditException(log + ": the log's directory " + directory + " does not exist");
        }
        if (Files.isDirectory(log))
        {
            throw new AuditException(log + ": not a file");
        }
        final Path anchorDirectory = anchor.toAbsolutePath().getParent();
        if (!Files.isDirectory(anchorDirectory))
        {
            throw new AuditException(anchor + ": the anchor's directory " + anchorDirectory + " does not exist");
        }
        AuditKey.refuseInside(anchor, directory, "anchor");
        final AuditKey key = AuditKey.readOutside(keyFile, directory);
        final AuditAnchor anchored = Files.exists(anchor) ? AuditAnchor.read(anchor) : null;
        final String name = log.getFileName().toString();
        if (null != anchored && !anchored.log().equals(name))
        {
            throw new AuditException(anchor + ": anchors the log '" + anchored.log() + "', not '" + name + "'");
        }
        if (!Files.exists(log) && null != anchored && anchored.seq() > 0)
        {
            throw new AuditException(log + ": no such file, but the anchor " + anchor + " says the log ends at seq "
                + anchored.seq() + ": the log was removed or moved");
        }
        final Path realFile = realLog(log, directory);
        if (!OPEN_LOGS.add(realFile))
        {
            throw new AuditException(log + ": already open in this process");
        }
        FileChannel appender = null;
        FileChannel reader = null;
        try
        {
            final boolean created = !Files.exists(log);
            appender = FileChannel.open(log, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r-----")));
            if (created)
            {
                AuditFiles.syncDirectory(log);
            }
            reader = FileChannel.open(log, StandardOpenOption.READ);
            lock(log, appender);
            final AuditLog audit = new AuditLog(log, realFile, anchor, key, clock, appender, reader);
            audit.resume(anchored);
            return audit;
        }
        catch (final IOException ex)
        {
            closeQuietly(appender, reader);
            OPEN_LOGS.remove(realFile);
            throw new AuditException(log + ": " + AuditKey.reason(ex), ex);
        }
        catch (final AuditException | RuntimeException ex)
        {
            closeQuietly(appender, reader);
            OPEN_LOGS.remove(realFile);
            throw ex;
        }
    }

    /**
     * Appends one entry, syncs it, then replaces the anchor. {@code detail} longer than
     * {@link AuditEntry#MAX_DETAIL} characters is cut, and the cut is said at its end.
     *
     * @param principal    who asked (the API token's name; {@link #ENGINE_PRINCIPAL} for SIGHUP and the engine).
     * @param action       a lowercase word: {@code reload}, {@code config_put}, {@code capture}, ...
     * @param result       a lowercase word: {@code applied}, {@code unchanged}, {@code invalid}, ...
     * @param configDigest SHA-256 of the configuration text concerned, 64 lowercase hex digits, or null.
     * @param detail       a short explanation, or null.
     * @return the entry as written.
     * @throws IllegalArgumentException when a field is not valid (nothing is written).
     * @throws AuditException when the entry or the anchor could not be written; the log then refuses every
     *                        later append until the engine restarts (and {@link #head()} says why), so that a
     *                        half-written line is never followed by another.
     */
    public AuditEntry append(final String principal, final String action, final String result,
        final String configDigest, final String detail) throws AuditException
    {
        synchronized (lock)
        {
            if (closed)
            {
                throw new AuditException(file + ": the audit log is closed");
            }
            final AuditHead last = head;
            if (null != last.failure())
            {
                throw new AuditException(file + ": not written since an earlier failure (" + last.failure()
                    + "); restart the engine to recover the log");
            }
            final long seq = last.seq() + 1;
            final String time = TIME.format(clock.instant());
            final String who = clean(principal);
            final String why = shorten(clean(detail));
            final String sealed = AuditEntry.sealed(seq, time, who, action, result, configDigest, why, last.mac());
            final AuditEntry entry = new AuditEntry(seq, time, who, action, result, configDigest, why, last.mac(),
                AuditEntry.seal(mac, last.mac(), sealed));
            write(entry);
            return entry;
        }
    }

    /** The last entry's seq and mac (and a failure, if appends stopped); lock-free, any thread. */
    public AuditHead head()
    {
        return head;
    }

    /** What {@link #open} repaired after a crash (also logged as an {@code audit_recover} entry); usually empty. */
    public List<String> recovered()
    {
        return List.copyOf(recovered);
    }

    public Path file()
    {
        return file;
    }

    public Path anchorFile()
    {
        return anchorFile;
    }

    /** Releases the log's lock; later appends fail. Idempotent. */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            closeQuietly(appender, reader);
            OPEN_LOGS.remove(realFile);
        }
    }

    /** Called with the lock held. */
    private void write(final AuditEntry entry) throws AuditException
    {
        final String name = file.getFileName().toString();
        final ByteBuffer bytes = ByteBuffer.wrap((entry.line() + "\n").getBytes(StandardCharsets.UTF_8));
        try
        {
            while (bytes.hasRemaining())
            {
                appender.write(bytes);
            }
            appender.force(false);
        }
        catch (final IOException ex)
        {
            final String failure = "writing seq " + entry.seq() + ": " + AuditKey.reason(ex);
            head = new AuditHead(name, head.seq(), head.mac(), failure);
            throw new AuditException(file + ": " + failure, ex);
        }
        head = new AuditHead(name, entry.seq(), entry.mac(), null);
        try
        {
            new AuditAnchor(name, entry.seq(), entry.mac()).write(anchorFile);
        }
        catch (final AuditException ex)
        {
            head = new AuditHead(name, entry.seq(), entry.mac(), "anchoring seq " + entry.seq() + ": "
                + ex.getMessage());
            throw ex;
        }
    }

    /** Checks the end of the log against the anchor, repairs what a crash leaves, and sets the head. */
    private void resume(final AuditAnchor anchored) throws IOException, AuditException
    {
        final String name = file.getFileName().toString();
        final Tail tail = Tail.read(file, reader);
        if (null == anchored)
        {
            if (0 != tail.size)
            {
                throw new AuditException(anchorFile + ": no such file, but the log " + file + " holds " + tail.size
                    + " bytes, so its end cannot be checked: put the anchor back, or move the log aside to start "
                    + "a new one");
            }
            head = new AuditHead(name, 0, AuditEntry.ZERO, null);
            new AuditAnchor(name, 0, AuditEntry.ZERO).write(anchorFile);
            return;
        }
        final AuditEntry last = tail.last;
        if (null == last)
        {
            if (anchored.seq() > 0)
            {
                throw new AuditException(file + ": holds no complete entry, but the anchor says the log ends at "
                    + "seq " + anchored.seq() + ": the log was emptied or replaced");
            }
            head = new AuditHead(name, 0, AuditEntry.ZERO, null);
        }
        else
        {
            resumeAfter(last, tail.lastLine, anchored);
        }
        if (tail.torn > 0)
        {
            final long keep = tail.size - tail.torn;
            appender.truncate(keep);
            appender.force(true);
            recovered.add("removed " + tail.torn + " bytes after seq " + head.seq() + " (sha256 " + tail.tornDigest
                + "): a line cut short by a crash during a write");
        }
        if (!recovered.isEmpty())
        {
            append(ENGINE_PRINCIPAL, "audit_recover", "repaired", null, String.join("; ", recovered));
        }
    }

    private void resumeAfter(final AuditEntry last, final String lastLine, final AuditAnchor anchored)
        throws AuditException
    {
        final String name = file.getFileName().toString();
        if (!AuditEntry.seal(mac, last.prev(), AuditEntry.sealedPart(lastLine)).equals(last.mac()))
        {
            throw new AuditException(file + ": the last entry (seq " + last.seq() + ") does not verify with the key "
                + "in the key file: it was edited or written without that key; run 'opensase audit verify'");
        }
        final long a = anchored.seq();
        if (last.seq() == a && last.mac().equals(anchored.mac()))
        {
            head = new AuditHead(name, a, last.mac(), null);
        }
        else if (last.seq() == a + 1 && last.prev().equals(anchored.mac()))
        {
            head = new AuditHead(name, last.seq(), last.mac(), null);
            new AuditAnchor(name, last.seq(), last.mac()).write(anchorFile);
            recovered.add("the anchor was at seq " + a + ", one entry behind the log: a crash between the entry's "
                + "sync and the anchor's update; the anchor now names seq " + last.seq());
        }
        else if (last.seq() == a)
        {
            throw new AuditException(file + ": ends at seq " + a + " with mac " + last.mac() + ", but the anchor "
                + anchorFile + " names mac " + anchored.mac() + ": the end of the log was replaced");
        }
        else if (last.seq() < a)
        {
            throw new AuditException(file + ": ends at seq " + last.seq() + ", but the anchor " + anchorFile
                + " says seq " + a + ": entries " + (last.seq() + 1) + ".." + a + " were removed (truncated)");
        }
        else
        {
            throw new AuditException(file + ": ends at seq " + last.seq() + ", but the anchor " + anchorFile
                + " says seq " + a + ": entries after seq " + a + " are not anchored (an older anchor put back, "
                + "or entries added)");
        }
    }

    /** The last complete line of the log, parsed, and the bytes after it. */
    private record Tail(long size, AuditEntry last, String lastLine, int torn, String tornDigest)
    {
        static Tail read(final Path file, final FileChannel reader) throws IOException, AuditException
        {
            final long size = reader.size();
            final int length = (int)Math.min(size, 2L * AuditEntry.MAX_LINE_BYTES + 2);
            final long start = size - length;
            final ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining())
            {
                if (reader.read(buffer, start + buffer.position()) < 0)
                {
                    throw new AuditException(file + ": shrank while being read");
                }
            }
            final byte[] bytes = buffer.array();
            final int lastNewline = lastIndexOf(bytes, length);
            final int torn = length - lastNewline - 1;
            if (torn >= AuditEntry.MAX_LINE_BYTES)
            {
                throw new AuditException(file + ": ends with " + torn + " bytes that hold no entry");
            }
            final String tornDigest = torn > 0 ? sha256(bytes, lastNewline + 1, torn) : null;
            if (lastNewline < 0)
            {
                return new Tail(size, null, null, torn, tornDigest);
            }
            final int before = lastIndexOf(bytes, lastNewline);
            if (before < 0 && start > 0)
            {
                throw new AuditException(file + ": the last line is longer than " + AuditEntry.MAX_LINE_BYTES
                    + " bytes: not an entry");
            }
            final String line;
            final AuditEntry entry;
            try
            {
                line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, before + 1, lastNewline - before - 1)).toString();
                entry = AuditEntry.parse(line);
            }
            catch (final CharacterCodingException ex)
            {
                throw new AuditException(file + ": the last line is not an entry: not UTF-8 text");
            }
            catch (final FlatJson.FormatException ex)
            {
                throw new AuditException(file + ": the last line is not an entry: " + ex.getMessage());
            }
            return new Tail(size, entry, line, torn, tornDigest);
        }

        private static int lastIndexOf(final byte[] bytes, final int end)
        {
            for (int i = end - 1; i >= 0; i--)
            {
                if ('\n' == bytes[i])
                {
                    return i;
                }
            }
            return -1;
        }

        private static String sha256(final byte[] bytes, final int offset, final int length)
        {
            try
            {
                final MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(bytes, offset, length);
                return HexFormat.of().formatHex(digest.digest());
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("SHA-256 is not available in this JVM", ex);
            }
        }
    }

    private static void lock(final Path log, final FileChannel channel) throws IOException, AuditException
    {
        final FileLock held;
        try
        {
            held = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            throw new AuditException(log + ": already open in this process");
        }
        if (null == held)
        {
            throw new AuditException(log + ": in use: another process holds its lock (is another engine running "
                + "with this audit log?)");
        }
    }

    private static Path realLog(final Path log, final Path directory) throws AuditException
    {
        try
        {
            return Files.exists(log) ? log.toRealPath() : directory.toRealPath().resolve(log.getFileName());
        }
        catch (final IOException ex)
        {
            throw new AuditException(directory + ": " + AuditKey.reason(ex), ex);
        }
    }

    /** Replaces unpaired surrogates (which UTF-8 cannot carry) with U+FFFD, so the entry is what is written. */
    private static String clean(final String text)
    {
        if (null == text)
        {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired)
            {
                if (null != out)
                {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                if (null == out)
                {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            }
            else if (null != out)
            {
                out.append(c);
            }
        }
        return null == out ? text : out.toString();
    }

    private static String shorten(final String detail)
    {
        if (null == detail || detail.length() <= AuditEntry.MAX_DETAIL)
        {
            return detail;
        }
        final String mark = " [cut: " + detail.length() + " characters]";
        int keep = AuditEntry.MAX_DETAIL - mark.length();
        if (Character.isHighSurrogate(detail.charAt(keep - 1)))
        {
            keep--;
        }
        return detail.substring(0, keep) + mark;
    }

    private static void closeQuietly(final FileChannel... channels)
    {
        for (final FileChannel channel : channels)
        {
            try
            {
                if (null != channel)
                {
                    channel.close();
                }
            }
            catch (final IOException ignored)
            {
                // closing after a failure or at shutdown: nothing more to do with the file
            }
        }
    }
}
