package io.opensase.ips.rules;

/**
 * Why a rule was not loaded. Rules are grouped in the load report by {@link #group()}, which leaves out
 * the rule-specific detail; {@link #detail()} says exactly what was wrong.
 *
 * @param category the sort of problem.
 * @param key      what the problem is about: the keyword, protocol, pcre feature or variable.
 * @param detail   one line for a person fixing the rule.
 */
public record SkipReason(Category category, String key, String detail)
{
    /** The sorts of problem a rule can have. */
    public enum Category
    {
        /** The action is not one of alert, drop, reject, pass. */
        UNSUPPORTED_ACTION("unsupported action"),
        /** The header protocol is outside the subset (for example smtp). */
        UNSUPPORTED_PROTOCOL("unsupported protocol"),
        /** An option name not in {@link Keyword}. */
        UNKNOWN_KEYWORD("unknown keyword"),
        /** A keyword of the subset used with a setting the engine does not enforce. */
        UNSUPPORTED_SETTING("unsupported setting"),
        /** A pcre using a regex feature outside the supported subset. */
        UNSUPPORTED_PCRE("unsupported pcre feature"),
        /** A variable the supplied {@link Variables} do not define. */
        UNDEFINED_VARIABLE("undefined variable"),
        /** The header is malformed. */
        BAD_HEADER("bad header"),
        /** The option list is malformed (quotes, semicolons, parentheses). */
        BAD_SYNTAX("bad syntax"),
        /** A keyword's value is malformed or out of range. */
        BAD_VALUE("bad value"),
        /** Options that contradict each other, or a rule that could never match. */
        CONFLICT("conflicting options"),
        /** A {@code dataset} set cannot be opened: unreadable or bad file, memcap or hashsize, mismatch. */
        DATASET_ERROR("dataset error"),
        /** The rule set holds more of something than the matcher keeps (flowbit names); only this rule is skipped. */
        MATCHER_LIMIT("beyond a matcher limit"),
        /** Another rule of the set has the same gid and sid. */
        DUPLICATE_SID("duplicate sid"),
        /** A defect of the parser itself; never expected. */
        INTERNAL_ERROR("internal parser error");

        private final String label;

        Category(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    /** The report's grouping: category and key, without the rule-specific detail. */
    public String group()
    {
        return category.label + ": " + key;
    }

    @Override
    public String toString()
    {
        return group() + " (" + detail + ")";
    }
}
