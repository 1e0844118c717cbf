package io.opensase.ips.rules;

/** How the {@code byte_*} keywords read a number: binary with an endianness, or as text in a base. */
public record NumberFormat(boolean bigEndian, Base base)
{
    /** Binary or text base. */
    public enum Base
    {
        /** The bytes are the number (endianness applies). */
        BINARY,
        /** ASCII hex digits. */
        HEX,
        /** ASCII decimal digits. */
        DEC,
        /** ASCII octal digits. */
        OCT,
        /**
         * {@code string} without a base in {@code byte_test} and {@code byte_jump}: Suricata leaves the base to
         * {@code strtoull}, so {@code 0x} starts hex, a leading {@code 0} octal, anything else decimal.
         */
        AUTO
    }

    /** The default: big-endian binary. */
    public static final NumberFormat BIG_ENDIAN = new NumberFormat(true, Base.BINARY);
}
