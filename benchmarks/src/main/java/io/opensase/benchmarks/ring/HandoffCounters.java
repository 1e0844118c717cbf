package io.opensase.benchmarks.ring;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counts of a hand-off benchmark, reported by JMH as rates per second: elements offered and
 * polled, and calls that moved nothing because the queue was full or empty. The producer writes only the
 * offer counts and the consumer only the poll counts; JMH sums the two threads' instances.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class HandoffCounters
{
    /** Elements the producer handed over. */
    public long offered;
    /** Producer calls that found no room. */
    public long offersFailed;
    /** Elements the consumer took: the hand-off rate. */
    public long polled;
    /** Consumer calls that found nothing. */
    public long pollsFailed;

    @Setup(Level.Iteration)
    public void reset()
    {
        offered = 0;
        offersFailed = 0;
        polled = 0;
        pollsFailed = 0;
    }
}
