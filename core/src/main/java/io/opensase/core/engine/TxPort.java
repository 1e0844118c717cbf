package io.opensase.core.engine;

import io.opensase.core.packet.MbufArray;

/**
 * The transmitting side of a port, used by the one thread that owns it.
 */
public interface TxPort
{
    /**
     * Takes ownership of {@code count} mbufs from {@code mbufs[0..]}: each is either sent or freed.
     *
     * @return how many were sent; the caller counts the rest as dropped ({@code tx_failed}).
     */
    int transmit(MbufArray mbufs, int count);

    /** Pushes out anything buffered; called once after the last transmit. */
    default void flush()
    {
    }
}
