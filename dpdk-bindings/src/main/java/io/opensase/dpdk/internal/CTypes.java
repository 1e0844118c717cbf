package io.opensase.dpdk.internal;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.ValueLayout;

/**
 * The C types of x86_64 Linux as FFM layouts. Kept apart from {@link opensase_dpdk_h}, whose initialisation
 * loads DPDK, so that the struct classes (and {@code Mbuf}) work in processes that never load it and need no
 * native access. Constants only.
 */
public final class CTypes
{
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    /**
     * A pointer. Plain, because giving it a target layout is a restricted operation, which warns in a process that
     * did not enable native access; {@link opensase_dpdk_h#C_POINTER} has one, for the strings functions return.
     */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private CTypes()
    {
    }
}
