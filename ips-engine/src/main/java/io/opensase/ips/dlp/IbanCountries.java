package io.opensase.ips.dlp;

/**
 * IBAN length per country code, from the SWIFT IBAN registry (as published in php-iban's registry.txt,
 * 116 entries). {@code IbanCountriesTest} checks this table against the shared copy of the registry.
 */
final class IbanCountries
{
    private static final String TABLE = "AA16AD24AE23AL28AO25AT20AX18AZ28BA20BE16BF27BG22BH22BI16BJ28BL27BR29BY28"
        + "CF27CG27CH21CI28CM27CR22CV25CY28CZ24DE22DJ27DK18DO28DZ24EE20EG29ES24FI18FO18FR27GA27GB22GE22GF27GI23"
        + "GL18GP27GQ27GR27GT28GW25HN28HR21HU28IE22IL23IQ23IR26IS26IT27JO30KM27KW30KZ20LB28LC32LI21LT20LU20LV21"
        + "MA28MC27MD24ME22MF27MG27MK19ML28MQ27MR27MT31MU30MZ25NC27NE28NI32NL18NO15PF27PK24PL28PM27PS29PT25QA29"
        + "RE27RO24RS22SA24SC31SE24SI19SK24SM27SN28ST25SV28TD27TF27TG28TL23TN24TR26UA29VG24WF27XK20YT27";
    /** Length by (first letter - 'A') * 26 + (second letter - 'A'); 0 for no IBAN country. */
    private static final byte[] LENGTHS = new byte[26 * 26];

    static
    {
        for (int i = 0; i < TABLE.length(); i += 4)
        {
            LENGTHS[(TABLE.charAt(i) - 'A') * 26 + TABLE.charAt(i + 1) - 'A'] =
                (byte)Integer.parseInt(TABLE.substring(i + 2, i + 4));
        }
    }

    private IbanCountries()
    {
    }

    /** The IBAN length of the country whose upper-case code is {@code a b}, or 0. */
    static int length(final int a, final int b)
    {
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
        {
            return 0;
        }
        return LENGTHS[(a - 'A') * 26 + b - 'A'];
    }
}
