package io.opensase.classifiers.app;

/** The direction numbers every application parser takes: which way the bytes travel in their flow. */
public final class StreamDirection
{
    /** From the connection's initiator (the client) to the responder. */
    public static final int TO_SERVER = 0;
    /** From the responder back to the initiator. */
    public static final int TO_CLIENT = 1;

    private StreamDirection()
    {
    }
}
