package io.opensase.ips.match;

/**
 * Which rules the caller admits, asked by {@link RuleMatcher.Worker#match(MatchInput, RuleFilter)} before a
 * candidate is verified, so that a rule whose header does not fit the packet (the matcher does not test rule
 * headers; the IPS stage does, through this) costs no verification, neither sets flowbits nor counts under its
 * threshold. Called on the worker's thread, once per candidate, and must not allocate.
 */
@FunctionalInterface
public interface RuleFilter
{
    /** Admits every rule: for callers that hand the matcher only rules whose header fits. */
    RuleFilter ALL = rule -> true;

    /** @param rule the rule's index in {@link RuleMatcher#enforced()}. */
    boolean admits(int rule);
}
