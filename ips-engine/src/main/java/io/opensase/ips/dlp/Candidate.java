package io.opensase.ips.dlp;

/**
 * The characters under test, copied out of a flow's recent words: {@code bytes[0]} is the EDM type tag, the
 * value starts at index 1. Holds the identifier checks over them (layout, then check digit). One per scanner;
 * no allocation.
 */
final class Candidate
{
    /** Tag byte, then the value. */
    final byte[] bytes = new byte[EdmTable.MAX_VALUE + 2];
    /** Length of each word of the last {@link #fill}. */
    final int[] groups = new int[FlowState.WORDS];
    private final byte[] plain = new byte[EdmTable.MAX_VALUE];
    /** Separators between the words of the last {@link #fill}: bit 0 space, bit 1 dash. */
    int separators;

    /** The candidate without its tag byte, as the checksum routines read it. */
    byte[] value()
    {
        System.arraycopy(bytes, 1, plain, 0, EdmTable.MAX_VALUE);
        return plain;
    }

    /** The digit detectors' layout and check over the last {@link #fill} of {@code k} words, {@code len} digits. */
    boolean digitCheck(final DetectorType type, final int len, final int k)
    {
        return switch (type)
        {
            case PAYMENT_CARD -> card(len, k, separators != 3);
            case US_SSN -> len == 9 && layout(k, 3, 3, 2, 0) && ssn();
            case CA_SIN -> len == 9 && layout(k, 3, 3, 3, 0) && bytes[1] != '8' && !Checksums.allSame(value(), len)
                && Checksums.luhn(value(), len);
            case IN_AADHAAR -> len == 12 && layout(k, 3, 4, 4, 0) && bytes[1] >= '2' && aadhaar();
            case NL_BSN -> k == 1 && (len == 8 || len == 9) && bsn(len);
            case PL_PESEL -> k == 1 && len == 11 && pesel();
            case DE_TAX_ID -> len == 11 && layout(k, 4, 2, 3, 3) && germanTax();
            default -> false;
        };
    }

    /**
     * One word, or {@code parts} words split by one kind of separator whose first groups have {@code g0},
     * {@code g1} (and, for four parts, {@code g2}) characters; the last group is what remains.
     */
    private boolean layout(final int k, final int parts, final int g0, final int g1, final int g2)
    {
        return k == 1 || k == parts && separators != 3 && groups[0] == g0 && groups[1] == g1
            && (parts < 4 || groups[2] == g2);
    }

    boolean card(final int len, final int k, final boolean uniform)
    {
        if (len < 13)
        {
            return false;
        }
        if (k > 1)
        {
            if (!uniform || groups[0] != 4)
            {
                return false;
            }
            for (int g = 1; g < k; g++)
            {
                if (groups[g] < 3 || groups[g] > 6)
                {
                    return false;
                }
            }
        }
        final byte[] v = value();
        return !Checksums.allSame(v, len) && CardBrands.issued(v, len) && Checksums.luhn(v, len);
    }

    boolean ssn()
    {
        final int area = number(1, 3);
        return area != 0 && area != 666 && area < 900 && number(4, 2) != 0 && number(6, 4) != 0;
    }

    boolean aadhaar()
    {
        final byte[] v = value();
        return !Checksums.allSame(v, 12) && Checksums.verhoeff(v, 12);
    }

    boolean bsn(final int len)
    {
        final byte[] v = value();
        return !Checksums.allSame(v, len) && Checksums.elevenProof(v, len);
    }

    boolean pesel()
    {
        final byte[] v = value();
        return !Checksums.allSame(v, 11) && Checksums.pesel(v);
    }

    boolean germanTax()
    {
        return Checksums.germanTaxId(value());
    }

    boolean dni()
    {
        if (!digits(1, 8) || !upper(bytes[9]))
        {
            return false;
        }
        return bytes[9] == Checksums.dniLetter(number(1, 8));
    }

    boolean nie()
    {
        final int prefix = bytes[1] - 'X';
        if (prefix < 0 || prefix > 2 || !digits(2, 7) || !upper(bytes[9]))
        {
            return false;
        }
        return bytes[9] == Checksums.dniLetter(prefix * 10_000_000 + number(2, 7));
    }

    boolean codiceFiscale()
    {
        for (int i = 1; i <= 16; i++)
        {
            final byte c = bytes[i];
            final boolean ok = switch (i)
            {
                case 1, 2, 3, 4, 5, 6, 12, 16 -> upper(c);
                case 9 -> "ABCDEHLMPRST".indexOf(c) >= 0;
                default -> c >= '0' && c <= '9' || "LMNPQRSTUV".indexOf(c) >= 0;
            };
            if (!ok)
            {
                return false;
            }
        }
        return Checksums.codiceFiscale(value());
    }

    boolean nir()
    {
        final byte sex = bytes[1];
        final int month = digits(4, 2) ? number(4, 2) : -1;
        final boolean corsica = bytes[6] == '2' && (bytes[7] == 'A' || bytes[7] == 'B');
        return (sex == '1' || sex == '2') && digits(2, 2) && (month >= 1 && month <= 12 || month >= 20 && month <= 42)
            && (corsica || digits(6, 2)) && digits(8, 8) && Checksums.nirKey(value());
    }

    boolean iban(final int len)
    {
        return len >= 15 && upper(bytes[1]) && upper(bytes[2]) && digits(3, 2)
            && IbanCountries.length(bytes[1], bytes[2]) == len && Checksums.ibanMod97(value(), len);
    }

    /**
     * The IBAN starting {@code s} characters into the last {@link #fill} of {@code total} characters and ending
     * in its last word, which starts at {@code lastFrom}: the country's length of upper-case letters and digits,
     * with no digit on either side (other characters of the words around it may be anything), ending the fill when
     * {@code toEnd}. When it holds it is moved to index 1, as {@link #iban} would have it, and its length returned;
     * else 0.
     */
    int ibanAt(final int s, final int total, final int lastFrom, final boolean toEnd)
    {
        final int len = IbanCountries.length(bytes[1 + s], bytes[2 + s]);
        final int end = s + len;
        if (len < 15 || end > total || end <= lastFrom || s > 0 && digit(bytes[s])
            || end < total && (toEnd || digit(bytes[1 + end])) || !digits(3 + s, 2))
        {
            return 0;
        }
        for (int i = 1 + s; i <= end; i++)
        {
            if (!digit(bytes[i]) && !upper(bytes[i]))
            {
                return 0;
            }
        }
        System.arraycopy(bytes, 1 + s, plain, 0, len);
        if (!Checksums.ibanMod97(plain, len))
        {
            return 0;
        }
        System.arraycopy(plain, 0, bytes, 1, len);
        return len;
    }

    /** NINO: two allocated prefix letters, six digits, suffix A-D; groups may only split at 2, 4, 6 and 8. */
    boolean nino(final int k)
    {
        int at = 0;
        for (int g = 0; g < k - 1; g++)
        {
            at += groups[g];
            if (at != 2 && at != 4 && at != 6 && at != 8)
            {
                return false;
            }
        }
        final byte a = bytes[1];
        final byte b = bytes[2];
        final byte suffix = bytes[9];
        if ("DFIQUV".indexOf(a) >= 0 || "DFIOQUV".indexOf(b) >= 0 || !upper(a) || !upper(b) || !digits(3, 6)
            || suffix < 'A' || suffix > 'D')
        {
            return false;
        }
        final int prefix = a << 8 | b;
        return prefix != ('B' << 8 | 'G') && prefix != ('G' << 8 | 'B') && prefix != ('K' << 8 | 'N')
            && prefix != ('N' << 8 | 'K') && prefix != ('N' << 8 | 'T') && prefix != ('T' << 8 | 'N')
            && prefix != ('Z' << 8 | 'Z');
    }

    boolean upperAlnum(final int len)
    {
        for (int i = 1; i <= len; i++)
        {
            final byte c = bytes[i];
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'))
            {
                return false;
            }
        }
        return true;
    }

    boolean digits(final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            if (bytes[i] < '0' || bytes[i] > '9')
            {
                return false;
            }
        }
        return true;
    }

    int number(final int from, final int count)
    {
        int n = 0;
        for (int i = from; i < from + count; i++)
        {
            n = n * 10 + bytes[i] - '0';
        }
        return n;
    }

    static boolean upper(final byte c)
    {
        return c >= 'A' && c <= 'Z';
    }

    static boolean digit(final byte c)
    {
        return c >= '0' && c <= '9';
    }

    /**
     * Copies the last {@code k} words, without their separators, into {@link #bytes} from index 1, records
     * their lengths in {@code groups} and the separators used in {@code separators} (bit 0 space, bit 1 dash);
     * returns the length, or -1 when longer than {@link EdmTable#MAX_VALUE}.
     */
    int fill(final FlowState st, final int k)
    {
        return fillPart(st, k, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * As {@link #fill}, the first word read from stream position {@code from} on and the last word up to position
     * {@code to} (exclusive): part of a word, for a value with letters joined to it.
     */
    int fillPart(final FlowState st, final int k, final long from, final long to)
    {
        final int mask = FlowState.WORDS - 1;
        int len = 0;
        separators = 0;
        for (int j = k - 1, g = 0; j >= 0; j--, g++)
        {
            final int w = (st.words - 1 - j) & mask;
            final long wordEnd = st.wordStart[w] + st.wordLength[w];
            final long start = j == k - 1 ? Math.max(from, st.wordStart[w]) : st.wordStart[w];
            final int partLength = (int)((0 == j ? Math.min(to, wordEnd) : wordEnd) - start);
            if (len + partLength > EdmTable.MAX_VALUE)
            {
                return -1;
            }
            for (int c = 0; c < partLength; c++)
            {
                bytes[1 + len + c] = st.ring[(int)(start + c) & FlowState.RING_MASK];
            }
            len += partLength;
            groups[g] = partLength;
            if (j < k - 1)
            {
                separators |= st.wordJoin[w] == ' ' ? 1 : 2;
            }
        }
        return len;
    }

    /**
     * The last {@code k} words lower-cased and joined by one space, from index 1 of {@link #bytes}; -1 when
     * longer than {@link EdmTable#MAX_VALUE}.
     */
    int fillText(final FlowState st, final int k)
    {
        final int mask = FlowState.WORDS - 1;
        bytes[0] = EdmColumnType.TEXT.tag();
        int len = 0;
        for (int j = k - 1; j >= 0; j--)
        {
            final int w = (st.words - 1 - j) & mask;
            if (len + st.wordLength[w] + 1 > EdmTable.MAX_VALUE)
            {
                return -1;
            }
            if (len > 0)
            {
                bytes[1 + len++] = ' ';
            }
            final long start = st.wordStart[w];
            for (int c = 0; c < st.wordLength[w]; c++)
            {
                final byte b = st.ring[(int)(start + c) & FlowState.RING_MASK];
                bytes[1 + len++] = (byte)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            }
        }
        return len;
    }

    boolean anyDigit(final int len)
    {
        for (int i = 1; i <= len; i++)
        {
            if (bytes[i] >= '0' && bytes[i] <= '9')
            {
                return true;
            }
        }
        return false;
    }
}
