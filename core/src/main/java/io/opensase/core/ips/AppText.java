package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;
import io.opensase.ips.dlp.DlpScanner;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One text value an application record logs (a host name, a URL, a certificate subject), kept as the bytes the
 * parser saw in a buffer this value owns and reuses for every message: setting it copies the bytes and
 * allocates only when a value is longer than any before it in this buffer (it doubles up to fit). A value is
 * absent (not logged), or present and possibly empty.
 * <p>
 * At most {@link #MAX_BYTES} bytes are kept: past that a value is cut there and the line that logs it ends with
 * {@code "truncated":true}, as a value an {@link EveRecord} cuts does. The application parsers give no field
 * that long (an HTTP message's head is at most 16 KiB), so this bounds memory and changes nothing seen.
 * <p>
 * Owned by the stage's thread.
 */
final class AppText
{
    /** Bytes a value keeps; the rest is cut. */
    static final int MAX_BYTES = 16 << 10;
    /** A buffer grown past this is let go when its record is reused by another flow. */
    static final int KEEP_BYTES = 1 << 10;

    private static final byte[] EMPTY = new byte[0];
    private static final int ABSENT = -1;

    private byte[] bytes = EMPTY;
    private int length = ABSENT;
    private boolean cut;

    boolean present()
    {
        return ABSENT != length;
    }

    /** Bytes held, 0 when absent. */
    int length()
    {
        return Math.max(0, length);
    }

    void clear()
    {
        length = ABSENT;
        cut = false;
    }

    /** Clears the value and lets go of a buffer that one long value grew, so that idle records stay small. */
    void release()
    {
        clear();
        if (bytes.length > KEEP_BYTES)
        {
            bytes = EMPTY;
        }
    }

    /** Sets the value to {@code size} bytes of {@code memory} from {@code offset} (an empty value is present). */
    void set(final MemorySegment memory, final long offset, final int size)
    {
        final int keep = reserve(size);
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, bytes, 0, keep);
        length = keep;
    }

    /** As {@link #set}, but an empty value is absent (what the parsers give for a field a message lacks). */
    void setNonEmpty(final MemorySegment memory, final long offset, final int size)
    {
        if (size > 0)
        {
            set(memory, offset, size);
        }
        else
        {
            clear();
        }
    }

    /** Makes room for a value of {@code size} bytes; returns how many are kept. */
    private int reserve(final int size)
    {
        final int keep = Math.min(size, MAX_BYTES);
        cut = keep < size;
        if (keep > bytes.length)
        {
            bytes = new byte[Math.min(MAX_BYTES, Math.max(32, Integer.highestOneBit(keep - 1) << 1))];
        }
        return keep;
    }

    /**
     * Copies the value to the start of {@code into} (a matcher's input buffer); returns how many bytes fit, 0 when
     * absent.
     */
    int copyTo(final MemorySegment into)
    {
        final int n = (int)Math.min(length(), into.byteSize());
        MemorySegment.copy(bytes, 0, into, ValueLayout.JAVA_BYTE, 0, n);
        return n;
    }

    /** Writes the value as the string field {@code name}; nothing when absent. */
    void write(final EveRecord json, final String name)
    {
        if (present())
        {
            if (cut)
            {
                json.cut();
            }
            json.field(name, bytes, 0, length);
        }
    }

    /** Writes the value as an array element (an empty string when absent). */
    void writeValue(final EveRecord json)
    {
        if (cut)
        {
            json.cut();
        }
        json.value(bytes, 0, length());
    }

    /**
     * When a DLP detector of {@code dlp} matches in the value on its own (a URL-encoded value is also probed
     * URL-decoded, as a detector reading the URI sees it), its letters and digits become {@code *} in place, so
     * that no line shows the matched value in clear.
     */
    void maskIfMatched(final DlpScanner dlp, final boolean urlEncoded)
    {
        if (!present() || !dlp.matchesIn(bytes, 0, length, false)
            && !(urlEncoded && dlp.matchesIn(bytes, 0, length, true)))
        {
            return;
        }
        for (int i = 0; i < length; i++)
        {
            // Each byte is a Latin-1 character in the line: the same test the line's text gets.
            if (Character.isLetterOrDigit((char)(bytes[i] & 0xFF)))
            {
                bytes[i] = '*';
            }
        }
    }
}
