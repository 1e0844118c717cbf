package io.opensase.ips.rules;

/** What a matching rule does: the first word of a rule. */
public enum Action
{
    /** Raise an alert; the packet goes on. */
    ALERT("alert"),
    /** In IPS mode, drop the packet and the rest of its flow, and raise an alert; in IDS mode, alert only. */
    DROP("drop"),
    /** As {@link #DROP}, and answer with a TCP reset or an ICMP unreachable. */
    REJECT("reject"),
    /** Stop inspecting the packet: no later rule alerts on it. */
    PASS("pass");

    private final String ruleName;

    Action(final String ruleName)
    {
        this.ruleName = ruleName;
    }

    /** The word as written in a rule. */
    public String ruleName()
    {
        return ruleName;
    }

    /** @return the action named {@code word} (ignoring case, as Suricata), or null when not in the subset. */
    public static Action byName(final String word)
    {
        for (final Action action : values())
        {
            if (action.ruleName.equalsIgnoreCase(word))
            {
                return action;
            }
        }
        return null;
    }
}
