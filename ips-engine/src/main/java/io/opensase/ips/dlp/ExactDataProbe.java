package io.opensase.ips.dlp;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

import static io.opensase.ips.dlp.ByteClass.DIGIT;
import static io.opensase.ips.dlp.ByteClass.UNDERSCORE;

/**
 * Exact data match for one scanner thread: builds the normalised candidates of each EDM column type from a
 * flow's last words, and looks each up through the table's prefilter, then its HMAC (one {@link Mac} per
 * table, keyed with its secret), then its map.
 */
final class ExactDataProbe
{
    private final EdmTable[] tables;
    private final Candidate candidate;
    private final Mac[] macs;
    private final byte[] hmac = new byte[32];

    ExactDataProbe(final EdmTable[] tables, final Candidate candidate)
    {
        this.tables = tables;
        this.candidate = candidate;
        macs = new Mac[tables.length];
        for (int t = 0; t < macs.length; t++)
        {
            macs[t] = tables[t].newMac();
        }
    }

    /**
     * Column bits of table {@code t} matched by a candidate ending at the flow's last word: digit chains of
     * the last {@code digitWords} words, and alnum and text forms of the last one to four of {@code chain}.
     */
    long columns(final int t, final FlowState st, final int chain, final int digitWords)
    {
        final EdmTable table = tables[t];
        long hits = 0;
        if (0 != table.digitsColumns)
        {
            for (int k = 1; k <= digitWords; k++)
            {
                final int len = candidate.fill(st, k);
                if (len >= EdmTable.MIN_DIGITS)
                {
                    candidate.bytes[0] = EdmColumnType.DIGITS.tag();
                    hits |= probe(t, len + 1) & table.digitsColumns;
                }
            }
        }
        if ((table.alnumColumns | table.textColumns) != 0)
        {
            hits |= wordsProbe(st, t, chain);
        }
        return hits;
    }

    /**
     * Probes the alnum and text columns with the last one to four words: alnum candidates need a digit in
     * them, and a word with an underscore ends the candidates (neither normal form has one).
     */
    private long wordsProbe(final FlowState st, final int t, final int chain)
    {
        final EdmTable table = tables[t];
        final int mask = FlowState.WORDS - 1;
        long hits = 0;
        int flags = 0;
        for (int k = 1; k <= Math.min(chain, EdmTable.MAX_TEXT_WORDS); k++)
        {
            flags |= st.wordFlags[(st.words - k) & mask];
            if ((flags & UNDERSCORE) != 0)
            {
                break;
            }
            if (0 != table.alnumColumns && (flags & DIGIT) != 0)
            {
                final int len = candidate.fill(st, k);
                if (len >= EdmTable.MIN_ALNUM)
                {
                    candidate.bytes[0] = EdmColumnType.ALNUM.tag();
                    for (int i = 1; i <= len; i++)
                    {
                        final byte c = candidate.bytes[i];
                        candidate.bytes[i] = (byte)(c >= 'a' && c <= 'z' ? c - 32 : c);
                    }
                    hits |= probe(t, len + 1) & table.alnumColumns;
                }
            }
            if (0 != table.textColumns)
            {
                final int textLength = candidate.fillText(st, k);
                if (textLength >= EdmTable.MIN_TEXT)
                {
                    hits |= probe(t, textLength + 1) & table.textColumns;
                }
            }
        }
        return hits;
    }

    /** Column bits of the keyed hash of the candidate (tag and value, {@code len} bytes) in table {@code t}, or 0. */
    private long probe(final int t, final int len)
    {
        final EdmTable table = tables[t];
        if (!table.mightContain(table.prefilterHash(candidate.bytes, len)))
        {
            return 0;
        }
        final Mac mac = macs[t];
        mac.update(candidate.bytes, 0, len);
        try
        {
            mac.doFinal(hmac, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException("HMAC-SHA256 output is 32 bytes", ex);
        }
        return table.columns(hmac);
    }
}
