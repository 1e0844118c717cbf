package io.opensase.classifiers.frag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.opensase.classifiers.frag.Fragments.slice;

/** Random sets of overlapping fragments of one datagram, for the byte model and for tshark. */
final class RandomFragments
{
    private RandomFragments()
    {
    }

    /** One fragment: offset, payload, MF. */
    record Piece(int offset, byte[] bytes, boolean more)
    {
        int end()
        {
            return offset + bytes.length;
        }

        @Override
        public String toString()
        {
            return "[" + offset + "," + end() + (more ? ")" : "]");
        }
    }

    /**
     * A payload of 9..400 bytes covered by two or more non-overlapping base fragments, plus 1..4 extra fragments
     * (each a copy of the original bytes with some changed, or unchanged) that overlap them, all shuffled. Every
     * fragment but the last is a multiple of 8 bytes; exactly one reaches the end, with MF clear.
     */
    static List<Piece> overlapping(final Random random)
    {
        final int units = 2 + random.nextInt(49);
        final int length = units * 8 - (random.nextBoolean() ? random.nextInt(8) : 0);
        final int lastStart = (length - 1) / 8 * 8;
        final byte[] original = new byte[length];
        random.nextBytes(original);
        final List<Piece> pieces = new ArrayList<>();
        int at = 0;
        while (at < length)
        {
            final int end = Math.min(0 == at ? lastStart : length, at + 8 * (1 + random.nextInt(8)));
            pieces.add(new Piece(at, slice(original, at, end), end < length));
            at = end;
        }
        final int extras = 1 + random.nextInt(4);
        for (int e = 0; e < extras; e++)
        {
            final int lastUnit = (length - 1) / 8;
            final int startUnit = random.nextInt(lastUnit + 1);
            final int endByte = Math.min(length - 1, (startUnit + random.nextInt(6)) * 8 + 7) + 1;
            // Whole units only unless the fragment reaches the end, which it must not claim as last.
            final int end = endByte == length ? (length % 8 == 0 ? length : (endByte / 8) * 8) : endByte;
            if (end <= startUnit * 8)
            {
                continue;
            }
            final byte[] bytes = slice(original, startUnit * 8, end);
            if (random.nextInt(4) != 0)
            {
                for (int b = random.nextInt(bytes.length); b < bytes.length; b += 1 + random.nextInt(8))
                {
                    bytes[b] = (byte)random.nextInt(256);
                }
            }
            pieces.add(new Piece(startUnit * 8, bytes, true));
        }
        Collections.shuffle(pieces, random);
        return pieces;
    }
}
