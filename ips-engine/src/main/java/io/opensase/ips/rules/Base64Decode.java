package io.opensase.ips.rules;

/**
 * {@code base64_decode[:bytes N][,offset N][,relative]}: decodes base64 from the current buffer (at
 * {@code offset}, from the start or the previous match) into the rule's {@link Buffer#BASE64_DATA}
 * buffer; holds when something decoded. {@code bytes} 0 means up to the end of the buffer.
 */
public record Base64Decode(long bytes, long offset, boolean relative) implements BufferMatch
{
}
