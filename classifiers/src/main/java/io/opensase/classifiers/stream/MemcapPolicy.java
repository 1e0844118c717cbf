package io.opensase.classifiers.stream;

/**
 * What a stream does when an out-of-order segment would take it past its own memory cap
 * ({@link StreamConfig#perStreamMemcap()}) or needs a block the shared pool ({@link StreamConfig#globalMemcap()})
 * no longer has; a constant, for any thread. Every hit is counted per policy and per cap.
 */
public enum MemcapPolicy
{
    /**
     * The flow is to be dropped: the stream's buffered bytes are freed undelivered, and this and every later
     * segment of the stream return {@link SegmentResult#DROP_FLOW}. In IPS mode the caller drops the packets;
     * fail-closed.
     */
    DROP_FLOW,
    /**
     * The stream is no longer reassembled nor inspected: its buffered bytes are freed undelivered,
     * {@link TcpReassembler#bypassed} turns true, and this and every later segment return
     * {@link SegmentResult#BYPASSED}; the caller forwards them uninspected. Fail-open.
     */
    BYPASS,
    /**
     * Reassembly stops waiting for the direction's holes: each is reported to {@link StreamSink#onGap}, the
     * bytes buffered after it are delivered and freed, and the segment itself is delivered after a gap up to
     * its start. The stream goes on, inspected, with holes; nothing is buffered for it at this point.
     */
    IGNORE
}
