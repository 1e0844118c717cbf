package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code base64_decode}'s decoder, one per worker, into its own reused buffer (RFC 4648 alphabet). Bytes are
 * read in groups of four; {@code =} in a group is padding (a group with one {@code =} gives two bytes, with
 * two one byte) and decoding goes on after it, as Suricata's decoder does; the first byte outside the
 * alphabet ends the data. A last group of two or three characters gives one or two bytes.
 */
final class Base64Decoder
{
    /** Encoded bytes decoded at most: Suricata's default and largest {@code bytes}. */
    static final int MAX_ENCODED = 65_535;
    private static final int MAX_DECODED = MAX_ENCODED / 4 * 3 + 2;
    private static final int INVALID = -1;
    private static final int PAD = -2;
    private static final byte[] VALUES = new byte[256];

    static
    {
        java.util.Arrays.fill(VALUES, (byte)INVALID);
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++)
        {
            VALUES[alphabet.charAt(i)] = (byte)i;
        }
        VALUES['='] = (byte)PAD;
    }

    private final byte[] decoded = new byte[MAX_DECODED];
    /** The decoded bytes; valid up to what the last {@link #decode} returned. */
    final MemorySegment segment = MemorySegment.ofArray(decoded);

    /** Decodes {@code length} bytes of {@code data} from {@code from}; returns how many bytes it decoded. */
    int decode(final MemorySegment data, final long from, final int length)
    {
        int out = 0;
        int group = 0;
        int count = 0;
        int padding = 0;
        final long end = from + Math.min(length, MAX_ENCODED);
        for (long i = from; i < end; i++)
        {
            final int v = VALUES[data.get(ValueLayout.JAVA_BYTE, i) & 0xFF];
            if (INVALID == v)
            {
                break;
            }
            if (PAD == v)
            {
                padding++;
            }
            group = group << 6 | (v < 0 ? 0 : v);
            if (++count == 4)
            {
                final int bytes = Math.max(0, 3 - padding);
                for (int b = 0; b < bytes; b++)
                {
                    decoded[out++] = (byte)(group >>> (16 - 8 * b));
                }
                group = 0;
                count = 0;
                padding = 0;
            }
        }
        if (count >= 2 && 0 == padding)
        {
            group <<= 6 * (4 - count);
            for (int b = 0; b < count - 1; b++)
            {
                decoded[out++] = (byte)(group >>> (16 - 8 * b));
            }
        }
        return out;
    }
}
