package io.opensase.ips.rules;

/**
 * A test on the size of the whole buffer: {@code bsize} (in the current sticky buffer) and {@code urilen}
 * (in {@link Buffer#HTTP_URI}, or {@link Buffer#HTTP_URI_RAW} with {@code ,raw}).
 */
public record BufferSize(IntMatch size) implements BufferMatch
{
    @Override
    public boolean relative()
    {
        return false;
    }
}
