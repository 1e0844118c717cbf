package io.opensase.ips.dlp;

/**
 * The check-digit algorithms of the structured identifiers, over ASCII bytes {@code v[0..len)}. Each method
 * assumes the caller already checked the layout (which positions are digits or letters). No allocation.
 */
final class Checksums
{
    private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
    /** Codice fiscale: value of a character in an odd (1st, 3rd, ...) position, digits and letters A-J alike. */
    private static final int[] CF_ODD = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10,
        22, 25, 24, 23};
    /** Verhoeff multiplication table (dihedral group D5). */
    private static final byte[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    /** Verhoeff permutation table, applied position-many times. */
    private static final byte[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    private static final int[] PESEL_WEIGHTS = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};

    private Checksums()
    {
    }

    static boolean luhn(final byte[] v, final int len)
    {
        int sum = 0;
        for (int i = len - 1, k = 0; i >= 0; i--, k++)
        {
            int d = v[i] - '0';
            if ((k & 1) == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** All characters equal: {@code 0000000000000000} is Luhn-valid but nobody's number. */
    static boolean allSame(final byte[] v, final int len)
    {
        for (int i = 1; i < len; i++)
        {
            if (v[i] != v[0])
            {
                return false;
            }
        }
        return true;
    }

    /** ISO 7064 mod 97-10 over an IBAN: the first four characters moved to the end, letters as 10..35. */
    static boolean ibanMod97(final byte[] v, final int len)
    {
        int rem = 0;
        for (int k = 0; k < len; k++)
        {
            final int c = v[(k + 4) % len];
            if (c >= '0' && c <= '9')
            {
                rem = (rem * 10 + c - '0') % 97;
            }
            else
            {
                rem = (rem * 100 + c - 'A' + 10) % 97;
            }
        }
        return rem == 1;
    }

    static boolean verhoeff(final byte[] v, final int len)
    {
        int c = 0;
        for (int i = len - 1, k = 0; i >= 0; i--, k++)
        {
            c = VERHOEFF_D[c][VERHOEFF_P[k & 7][v[i] - '0']];
        }
        return c == 0;
    }

    /** Dutch 11-proof over 8 or 9 digits (8 digits read with a leading zero): weights 9..2 and -1. */
    static boolean elevenProof(final byte[] v, final int len)
    {
        int sum = 0;
        for (int i = 0; i < len - 1; i++)
        {
            sum += (v[i] - '0') * (len - i);
        }
        sum -= v[len - 1] - '0';
        return sum % 11 == 0 && sum != 0;
    }

    /** PESEL: weighted digits 1-3-7-9 and a birth date valid in the century encoded in the month. */
    static boolean pesel(final byte[] v)
    {
        int sum = 0;
        for (int i = 0; i < 10; i++)
        {
            sum += (v[i] - '0') * PESEL_WEIGHTS[i];
        }
        if ((10 - sum % 10) % 10 != v[10] - '0')
        {
            return false;
        }
        final int month = ((v[2] - '0') * 10 + v[3] - '0') % 20;
        final int day = (v[4] - '0') * 10 + v[5] - '0';
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }

    /**
     * German Steuer-IdNr: first digit not 0; in the first ten digits exactly one digit occurs two or three
     * times and the others at most once; check digit by ISO 7064 mod 11,10.
     */
    static boolean germanTaxId(final byte[] v)
    {
        if (v[0] == '0')
        {
            return false;
        }
        long counts = 0;
        for (int i = 0; i < 10; i++)
        {
            counts += 1L << ((v[i] - '0') * 4);
        }
        int repeated = 0;
        int missing = 0;
        for (int d = 0; d < 10; d++)
        {
            final int n = (int)(counts >>> (d * 4)) & 0xf;
            if (n >= 2)
            {
                repeated += n > 3 ? 2 : 1;
            }
            if (n == 0)
            {
                missing++;
            }
        }
        if (repeated != 1 || missing < 1 || missing > 2)
        {
            return false;
        }
        int product = 10;
        for (int i = 0; i < 10; i++)
        {
            int sum = (v[i] - '0' + product) % 10;
            if (sum == 0)
            {
                sum = 10;
            }
            product = sum * 2 % 11;
        }
        final int check = 11 - product == 10 ? 0 : 11 - product;
        return check == v[10] - '0';
    }

    /** Spanish DNI and NIE control letter for {@code number}. */
    static byte dniLetter(final int number)
    {
        return (byte)DNI_LETTERS.charAt(number % 23);
    }

    /** Codice fiscale check letter over the first 15 characters. */
    static boolean codiceFiscale(final byte[] v)
    {
        int sum = 0;
        for (int i = 0; i < 15; i++)
        {
            final int c = v[i];
            final int k = c <= '9' ? c - '0' : c - 'A';
            sum += (i & 1) == 0 ? CF_ODD[k] : k;
        }
        return v[15] == 'A' + sum % 26;
    }

    /** French NIR key: 97 - (the 13-character number mod 97), Corsica's 2A and 2B read as 19 and 18. */
    static boolean nirKey(final byte[] v)
    {
        long number = 0;
        for (int i = 0; i < 13; i++)
        {
            final int c = v[i];
            number = number * 10 + (c <= '9' ? c - '0' : 0);
        }
        if (v[6] == 'A' || v[6] == 'B')
        {
            // 2A: department digits 2,A -> 19 (subtract 1,000,000); 2B -> 18 (subtract 2,000,000).
            number = number - 20_000_000L + (v[6] == 'A' ? 19_000_000L : 18_000_000L);
        }
        final int key = (v[13] - '0') * 10 + v[14] - '0';
        return 97 - (int)(number % 97) == key;
    }
}
