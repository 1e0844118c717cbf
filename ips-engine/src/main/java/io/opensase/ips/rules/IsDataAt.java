package io.opensase.ips.rules;

/**
 * {@code isdataat:[!]N[,relative]}: holds when the buffer has a byte at position N (from the start, or from
 * the end of the previous match when relative); negated, when it has none. {@code rawbytes} is accepted and
 * has no effect, as in Suricata.
 */
public record IsDataAt(Operand offset, boolean negated, boolean relative) implements BufferMatch
{
}
