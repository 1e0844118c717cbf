package io.opensase.ips.rules;

/**
 * {@code byte_extract:bytes,offset,name[,relative][,multiplier N][,big|little][,string[,hex|dec|oct]]
 * [,align 2|4]}: reads a number into the rule variable {@code name}, which later keywords of the rule use
 * as an {@link Operand}. The detection position moves past the bytes read.
 *
 * @param slot       the variable's index (see {@link Operand#slot()}).
 * @param multiplier 1 when not given.
 * @param align      0, 2 or 4.
 */
public record ByteExtract(
    int bytes,
    long offset,
    String name,
    int slot,
    boolean relative,
    long multiplier,
    NumberFormat format,
    int align) implements BufferMatch
{
}
