package io.opensase.ips.match;

/**
 * Which verified rules the packet's header admits, asked by the second phase of a match before a rule's
 * state tests and updates run, so that a rule whose header does not fit the packet neither sets flowbits nor
 * counts under its threshold. The matcher does not test rule headers; the IPS stage does, through this.
 * Called on the worker's thread, once per verified rule, and must not allocate.
 */
@FunctionalInterface
public interface RuleFilter
{
    /** Admits every rule: for callers that hand the matcher only rules whose header fits. */
    RuleFilter ALL = rule -> true;

    /** @param rule the rule's index in {@link RuleMatcher#enforced()}. */
    boolean admits(int rule);
}
