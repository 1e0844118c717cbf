/**
 * The raw surface, laid out the way jextract lays it out so that its output could replace this package: one header
 * class ({@link io.opensase.dpdk.internal.opensase_dpdk_h}) of constants, descriptors, handles and calls, and one
 * class per struct with its layout, offsets and accessors. Not API: names and types are C's. Every offset, size,
 * bit position and constant here is checked against the installed headers by {@code LayoutTest}, and the struct
 * layouts against the shim's at start-up.
 */
package io.opensase.dpdk.internal;
