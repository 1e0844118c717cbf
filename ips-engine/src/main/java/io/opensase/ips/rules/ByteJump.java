package io.opensase.ips.rules;

/**
 * {@code byte_jump}: reads {@code bytes} bytes at {@code offset} as a number, masks it, multiplies it, rounds
 * it up to a multiple of 4 when {@code align}, and moves the detection position that far from the place
 * {@code from} names, then by {@code postOffset}. Fails when the position leaves the buffer.
 *
 * @param multiplier 1 when not given.
 * @param bitmask    0 when not given.
 */
public record ByteJump(
    int bytes,
    Operand offset,
    boolean relative,
    long multiplier,
    NumberFormat format,
    boolean align,
    From from,
    long postOffset,
    long bitmask) implements BufferMatch
{
    /** Where the jump counts from. */
    public enum From
    {
        /** The end of the bytes read (the default). */
        CURRENT,
        /** {@code from_beginning}: the buffer start. */
        BEGINNING,
        /** {@code from_end}: the buffer end. */
        END
    }
}
