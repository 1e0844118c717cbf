package io.opensase.benchmarks.ring;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The producer's counts when the consumer is not a JMH thread, reported as rates per second: elements
 * offered, and calls that moved nothing because the queue was full.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ProducerCounters
{
    /** Elements the producer handed over. */
    public long offered;
    /** Producer calls that found no room. */
    public long offersFailed;

    @Setup(Level.Iteration)
    public void reset()
    {
        offered = 0;
        offersFailed = 0;
    }
}
