package io.opensase.core.engine;

/**
 * Raised from any thread (a signal handler, the timer of {@code --seconds}) to end a run's input; receiving
 * threads check it once per pass, then the pipeline drains.
 */
public final class StopFlag
{
    private volatile boolean raised;

    public void raise()
    {
        raised = true;
    }

    public boolean isRaised()
    {
        return raised;
    }
}
