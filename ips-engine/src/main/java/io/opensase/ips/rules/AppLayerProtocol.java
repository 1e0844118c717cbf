package io.opensase.ips.rules;

/**
 * {@code app-layer-protocol:[!]name}: the application protocol identified for the flow (from its
 * content, not its ports).
 */
public record AppLayerProtocol(Name name, boolean negated) implements Condition
{
    /** The names accepted: protocols the engine identifies, and the two outcomes of identification. */
    public enum Name
    {
        HTTP,
        TLS,
        DNS,
        /** Identification has not finished. */
        UNKNOWN,
        /** Identification finished without a protocol. */
        FAILED
    }
}
