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
        OCT
    }

    /** The default: big-endian binary. */
    public static final NumberFormat BIG_ENDIAN = new NumberFormat(true, Base.BINARY);
}
