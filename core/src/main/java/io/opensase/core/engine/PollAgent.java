package io.opensase.core.engine;

/**
 * A poll loop's unit of work, run by one thread until it is done.
 */
public interface PollAgent
{
    /**
     * One pass: receive, process, transmit.
     *
     * @return work done (packets moved); 0 lets the idle strategy back off.
     */
    int doWork();

    /** True once the agent has nothing left to do, ever. */
    boolean isDone();

    /** Thread name. */
    String roleName();
}
