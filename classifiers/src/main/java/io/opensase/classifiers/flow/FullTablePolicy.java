package io.opensase.classifiers.flow;

/**
 * What the flow table does with a new flow when every slot is taken and no flow has timed out.
 */
public enum FullTablePolicy
{
    /** Remove the flow idle the longest and track the new one in its place (counted as evicted). */
    EVICT_OLDEST,
    /** Leave the new flow untracked (counted as refused). */
    REFUSE
}
