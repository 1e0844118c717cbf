package io.opensase.core.audit;

import io.opensase.core.audit.AuditVerification.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * Checks a whole audit log against its key and anchor: every line is an entry, every mac verifies, seq counts
 * 1, 2, 3 ... with each prev equal to the mac before it, and the log ends exactly at the entry the anchor
 * names. Reports the first problem only. Reads the log once, streaming; stateless, any thread.
 */
public final class AuditVerifier
{
    private AuditVerifier()
    {
    }

    /**
     * Verifies {@code log} against {@code anchor} with {@code key}.
     *
     * @throws AuditException naming the log when it cannot be read.
     */
    public static AuditVerification verify(final Path log, final AuditAnchor anchor, final AuditKey key)
        throws AuditException
    {
        try (InputStream in = Files.newInputStream(log))
        {
            return new Walk(anchor, key.newMac()).run(new Lines(in));
        }
        catch (final IOException ex)
        {
            throw new AuditException(log + ": " + (Files.isDirectory(log) ? "not a file" : AuditKey.reason(ex)), ex);
        }
    }

    /** One pass over the lines, holding the chain so far. */
    private static final class Walk
    {
        private final AuditAnchor anchor;
        private final Mac mac;
        private long entries;
        private String lastMac = AuditEntry.ZERO;
        private String anchoredMac = AuditEntry.ZERO;

        Walk(final AuditAnchor anchor, final Mac mac)
        {
            this.anchor = anchor;
            this.mac = mac;
        }

        AuditVerification run(final Lines lines) throws IOException
        {
            for (byte[] bytes = lines.next(); null != bytes; bytes = lines.next())
            {
                final long line = entries + 1;
                if (lines.tooLong())
                {
                    return bad(Problem.MALFORMED, line, 0, "not an audit entry: longer than "
                        + AuditEntry.MAX_LINE_BYTES + " bytes");
                }
                final String text;
                final AuditEntry entry;
                try
                {
                    text = utf8(bytes);
                    entry = AuditEntry.parse(text);
                }
                catch (final CharacterCodingException ex)
                {
                    return bad(Problem.MALFORMED, line, 0, "not an audit entry: not UTF-8 text");
                }
                catch (final FlatJson.FormatException ex)
                {
                    return bad(Problem.MALFORMED, line, 0, "not an audit entry: " + ex.getMessage());
                }
                if (!sealOf(text, entry).equals(entry.mac()))
                {
                    return badMac(lines, line, entry.seq());
                }
                if (entry.seq() != line || !entry.prev().equals(lastMac))
                {
                    return misplaced(line, entry);
                }
                entries = line;
                lastMac = entry.mac();
                if (line == anchor.seq())
                {
                    anchoredMac = entry.mac();
                }
            }
            return atEnd(lines.torn());
        }

        private AuditVerification atEnd(final int torn)
        {
            final long a = anchor.seq();
            final long n = entries;
            if (n < a)
            {
                final String cut = torn > 0 ? "cut short after " + torn + " bytes, and " : "";
                return bad(Problem.TRUNCATED, n + 1, n + 1, cut + "the log ends after " + n + " entries where the "
                    + "anchor says " + a + ": entries " + (n + 1) + ".." + a + " were removed (truncated)");
            }
            if (!anchoredMac.equals(anchor.mac()))
            {
                return bad(Problem.ANCHOR_MISMATCH, a, a, "mac " + anchoredMac + " differs from the anchor's "
                    + anchor.mac() + ": the entries up to here were replaced, or the anchor is another log's");
            }
            if (n > a)
            {
                return bad(Problem.NOT_ANCHORED, a + 1, a + 1, "the anchor ends at seq " + a + ", but entries "
                    + (a + 1) + ".." + n + " follow and verify: written after the anchor was last updated "
                    + "(a crash between the two writes), or an older anchor was put back");
            }
            if (torn > 0)
            {
                return bad(Problem.CUT_SHORT, n + 1, 0, "cut short: " + torn + " bytes without a newline at the "
                    + "end, a write interrupted by a crash; the " + n + " entries before it verify and match the "
                    + "anchor (the engine removes the partial line at its next start and records that)");
            }
            return new AuditVerification(null, n, 0, 0, "intact: " + n + " entries" + (n > 0 ? ", seq 1.." + n : "")
                + ", last mac " + lastMac + " matches the anchor", lastMac);
        }

        private AuditVerification misplaced(final long line, final AuditEntry entry)
        {
            final String reason;
            if (entry.seq() > line)
            {
                reason = "seq " + line + " expected here: " + (entry.seq() - line == 1 ? "entry " + line + " is"
                    : "entries " + line + ".." + (entry.seq() - 1) + " are") + " missing (removed, or moved later)";
            }
            else if (entry.seq() < line)
            {
                reason = "seq " + line + " expected here: seq " + entry.seq() + " comes again or out of order "
                    + "(an entry inserted, duplicated or moved)";
            }
            else
            {
                reason = "prev does not match the mac of line " + (line - 1) + ": the entries before it were "
                    + "replaced, or it comes from another log sealed with the same key";
            }
            return bad(Problem.MISPLACED, line, entry.seq(), reason);
        }

        /** Counts how many entries after a bad mac verify on their own, to tell an edit from a rewrite. */
        private AuditVerification badMac(final Lines lines, final long line, final long seq) throws IOException
        {
            long after = 0;
            long verifying = 0;
            for (byte[] bytes = lines.next(); null != bytes; bytes = lines.next())
            {
                after++;
                try
                {
                    final String text = utf8(bytes);
                    final AuditEntry entry = AuditEntry.parse(text);
                    if (sealOf(text, entry).equals(entry.mac()))
                    {
                        verifying++;
                    }
                }
                catch (final CharacterCodingException | FlatJson.FormatException ex)
                {
                    // not an entry: it does not verify
                }
            }
            final String reason;
            if (0 == verifying && 1 == line)
            {
                reason = "mac does not verify, nor does any entry after it: the log was rewritten without the "
                    + "key, or this is not the key it was written with";
            }
            else
            {
                reason = "mac does not verify: the entry was edited, or made up without the key (" + verifying
                    + " of the " + after + " lines after it verify)";
            }
            return bad(Problem.BAD_MAC, line, seq, reason);
        }

        private String sealOf(final String text, final AuditEntry entry)
        {
            return AuditEntry.seal(mac, entry.prev(), AuditEntry.sealedPart(text));
        }

        private AuditVerification bad(final Problem problem, final long line, final long seq, final String reason)
        {
            return new AuditVerification(problem, entries, line, seq, reason, lastMac);
        }
    }

    private static String utf8(final byte[] bytes) throws CharacterCodingException
    {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
    }

    /**
     * Splits a stream into lines on '\n', each at most {@link AuditEntry#MAX_LINE_BYTES}; what follows the last
     * newline is not a line but {@link #torn()}.
     */
    private static final class Lines
    {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private byte[] line = new byte[256];
        private int start;
        private int end;
        private int length;
        private boolean tooLong;
        private boolean eof;

        Lines(final InputStream in)
        {
            this.in = in;
        }

        /** The next complete line without its newline, or null at the end. */
        byte[] next() throws IOException
        {
            length = 0;
            tooLong = false;
            while (true)
            {
                if (start == end)
                {
                    if (eof || !fill())
                    {
                        return null;
                    }
                }
                int i = start;
                while (i < end && '\n' != buffer[i])
                {
                    i++;
                }
                append(i - start);
                final boolean found = i < end;
                start = found ? i + 1 : i;
                if (found)
                {
                    return Arrays.copyOf(line, length);
                }
                if (tooLong)
                {
                    return Arrays.copyOf(line, length);
                }
            }
        }

        boolean tooLong()
        {
            return tooLong;
        }

        /** Bytes after the last newline, once {@link #next()} has returned null. */
        int torn()
        {
            return length;
        }

        private boolean fill() throws IOException
        {
            final int read = in.read(buffer);
            if (read <= 0)
            {
                eof = true;
                return false;
            }
            start = 0;
            end = read;
            return true;
        }

        private void append(final int count)
        {
            if (length + count >= AuditEntry.MAX_LINE_BYTES)
            {
                tooLong = true;
            }
            final int kept = Math.min(count, AuditEntry.MAX_LINE_BYTES - length);
            if (length + kept > line.length)
            {
                line = Arrays.copyOf(line, Math.max(length + kept, 2 * line.length));
            }
            System.arraycopy(buffer, start, line, length, kept);
            length += kept;
        }
    }
}
