package io.opensase.ips.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IntMatchTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "19|EQ|19|0", "=0x13|EQ|19|0", "!0x14|NE|20|0", "!=20|NE|20|0", "> 21|GT|21|0", ">=21|GE|21|0",
        "<22|LT|22|0", "<=22|LE|22|0", "19-22|RANGE|19|22", "19<>22|RANGE|19|22", "!19-22|NOT_RANGE|19|22",
        "&0xc0=0x80|MASK_EQ|192|128", "&0xc0!=0|MASK_NE|192|0", "2kb|EQ|2048|0", "1MiB|EQ|1048576|0",
        "<1gb|LT|1073741824|0"})
    void shouldParseEachForm(final String text, final IntMatch.Mode mode, final long a, final long b)
    {
        assertEquals(new IntMatch(mode, a, b), IntMatch.parse(text, IntMatch.U63));
    }

    @ParameterizedTest
    @CsvSource({
        "19, 19, true", "19, 18, false", "!19, 18, true", ">21, 22, true", ">21, 21, false", ">=21, 21, true",
        "<22, 21, true", "<22, 22, false", "<=22, 22, true", "19-22, 19, false", "19-22, 20, true",
        "19-22, 21, true", "19-22, 22, false", "!19-22, 19, true", "!19-22, 20, false", "!19-22, 22, true",
        "&0xc0=0x80, 0x8f, true", "&0xc0=0x80, 0xc0, false", "&0xc0!=0, 0x3f, false", "&0xc0!=0, 0x40, true"})
    void shouldTestValues(final String text, final String value, final boolean expected)
    {
        final long v = value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
        assertEquals(expected, IntMatch.parse(text, IntMatch.U16).test(v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "-1", "65536", "<0", ">65535", "5-5", "9-2", "&0x0f=0x10", "&0x0f", "1.5",
        "70kb"})
    void shouldRejectBadValues(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> IntMatch.parse(text, IntMatch.U16));
    }
}
