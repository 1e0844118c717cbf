package io.opensase.ips.match;

/**
 * Which rules the caller admits. Asked by the second phase of a match before a verified rule's state tests
 * and updates run, so that a rule whose header does not fit the packet neither sets flowbits nor counts under
 * its threshold (the matcher does not test rule headers; the IPS stage does, through this); or, given as the
 * {@code verified} filter of {@link RuleMatcher.Worker#match(MatchInput, RuleFilter, RuleFilter)}, asked
 * before a candidate is verified. Called on the worker's thread, once per rule, and must not allocate.
 */
@FunctionalInterface
public interface RuleFilter
{
    /** Admits every rule: for callers that hand the matcher only rules whose header fits. */
    RuleFilter ALL = rule -> true;

    /** @param rule the rule's index in {@link RuleMatcher#enforced()}. */
    boolean admits(int rule);
}
