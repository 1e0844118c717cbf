package io.opensase.ips.rules;

/**
 * {@code vlan.id:value[,layer]}: the 12-bit VLAN ids of the packet's 802.1Q/802.1ad tags, outermost first.
 *
 * @param layer the tag tested when {@code scope} is {@link Scope#LAYER}: 0..2 from the outside, -1..-3
 *              from the inside.
 */
public record VlanId(IntMatch match, Scope scope, int layer) implements Condition
{
    /** Which tags must pass. */
    public enum Scope
    {
        /** No layer given, or {@code any}: at least one tag passes. */
        ANY,
        /** {@code all}: there is a tag and every tag passes. */
        ALL,
        /** The tag at {@code layer} exists and passes. */
        LAYER
    }
}
