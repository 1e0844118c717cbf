package io.opensase.ips.dlp;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The built-in IBAN length table equals the shared copy of the SWIFT registry, and knows nothing else. */
class IbanCountriesTest
{
    @Test
    void shouldMatchTheRegistry()
    {
        final String[] lines = DlpTesting.read(SharedData.resolve("dlp/iban/php-iban-registry.txt")).split("\n");
        final int[] expected = new int[26 * 26];
        for (int i = 1; i < lines.length; i++)
        {
            final String[] fields = lines[i].split("\\|", -1);
            if (fields.length > 10)
            {
                expected[(fields[0].charAt(0) - 'A') * 26 + fields[0].charAt(1) - 'A'] = Integer.parseInt(fields[10]);
            }
        }
        for (int a = 'A'; a <= 'Z'; a++)
        {
            for (int b = 'A'; b <= 'Z'; b++)
            {
                assertEquals(expected[(a - 'A') * 26 + b - 'A'], IbanCountries.length(a, b), (char)a + "" + (char)b);
            }
        }
        assertEquals(0, IbanCountries.length('a', 'd'), "country codes are upper case");
    }
}
