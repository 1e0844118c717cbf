package io.opensase.ips.dlp;

/**
 * Issuer identification number (IIN) ranges per card brand with the lengths each brand issues. A number is a
 * card number only when some range covers its prefix and lists its length; Luhn is checked separately.
 */
final class CardBrands
{
    private static final int[][] RANGES = {
        // low, high (inclusive, same number of digits), minimum length, maximum length
        {4, 4, 13, 13}, {4, 4, 16, 16}, {4, 4, 19, 19},            // Visa
        {51, 55, 16, 16}, {2221, 2720, 16, 16},                     // Mastercard
        {34, 34, 15, 15}, {37, 37, 15, 15},                         // American Express
        {6011, 6011, 16, 19}, {644, 649, 16, 19}, {65, 65, 16, 19}, // Discover
        {622126, 622925, 16, 19},                                   // Discover / UnionPay co-badged
        {300, 305, 14, 19}, {3095, 3095, 14, 19}, {36, 36, 14, 19}, {38, 39, 14, 19}, // Diners Club
        {3528, 3589, 16, 19},                                       // JCB
        {62, 62, 16, 19}, {8100, 8171, 16, 19},                     // UnionPay
        {5018, 5018, 13, 19}, {5020, 5020, 13, 19}, {5038, 5038, 13, 19}, {5893, 5893, 13, 19},
        {6304, 6304, 13, 19}, {6759, 6759, 13, 19}, {6761, 6763, 13, 19}, // Maestro
        {2200, 2204, 16, 19},                                       // Mir
    };

    private CardBrands()
    {
    }

    /** True when the digits {@code v[0..len)} have a known IIN issued with that length. */
    static boolean issued(final byte[] v, final int len)
    {
        for (final int[] range : RANGES)
        {
            if (len < range[2] || len > range[3])
            {
                continue;
            }
            final int digits = digitCount(range[0]);
            int prefix = 0;
            for (int i = 0; i < digits; i++)
            {
                prefix = prefix * 10 + v[i] - '0';
            }
            if (prefix >= range[0] && prefix <= range[1])
            {
                return true;
            }
        }
        return false;
    }

    private static int digitCount(final int value)
    {
        return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : value < 100_000 ? 5 : 6;
    }
}
