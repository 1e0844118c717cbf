package io.opensase.ips.rules;

/**
 * One payload keyword in a {@link BufferInspection}. Sealed, so that the matcher's exhaustive switch
 * cannot leave a kind out.
 */
public sealed interface BufferMatch
    permits ContentMatch, PcreMatch, IsDataAt, ByteTest, ByteJump, ByteExtract, Base64Decode, BufferSize,
    DatasetMatch
{
    /** True when the keyword is anchored at the previous keyword's match rather than the buffer start. */
    boolean relative();
}
