package io.opensase.ips.dlp;

import java.util.Locale;

/** ISO 3166-1 alpha-2 country codes, as the Java runtime lists them, for the country letters of a SWIFT BIC. */
final class IsoCountries
{
    private static final boolean[] KNOWN = new boolean[26 * 26];

    static
    {
        for (final String code : Locale.getISOCountries())
        {
            KNOWN[(code.charAt(0) - 'A') * 26 + code.charAt(1) - 'A'] = true;
        }
        // Kosovo uses the user-assigned XK in the SWIFT and IBAN registries.
        KNOWN[('X' - 'A') * 26 + 'K' - 'A'] = true;
    }

    private IsoCountries()
    {
    }

    static boolean known(final byte a, final byte b)
    {
        return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && KNOWN[(a - 'A') * 26 + b - 'A'];
    }
}
