package io.opensase.core.events;

/**
 * Where the event writer finds an alert's signature text and category: alert records carry only the rule's
 * ids, so that a worker copies numbers, never strings. The inspection engine gives the writer one catalog per
 * rule set it loads ({@link EventWriter#setSignatures}); the writer thread calls it, so an implementation must
 * be safe to read from that thread while the engine replaces it (an immutable map is).
 */
@FunctionalInterface
public interface SignatureCatalog
{
    SignatureCatalog NONE = (gid, sid, rev) -> null;

    /** The rule's text, or null when the catalog does not know it (the line then has no signature). */
    Signature find(int gid, long sid, int rev);

    /**
     * @param signature the rule's {@code msg}.
     * @param category  its classtype's description, or null.
     */
    record Signature(String signature, String category)
    {
    }
}
