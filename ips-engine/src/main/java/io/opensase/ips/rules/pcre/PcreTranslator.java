package io.opensase.ips.rules.pcre;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates a PCRE2 expression, as Suricata compiles it (8-bit, non-UTF, newline LF, default tables), into
 * a {@code java.util.regex} pattern that matches the same byte strings when every byte is read as one
 * ISO-8859-1 char. Off the packet path: runs once per rule at load.
 * <p>
 * Constructs are handled one by one, never by textual replacement. What both engines mean the same way is
 * re-emitted (escaping every literal, so that Java's class union {@code [a[b]]}, intersection {@code &&} and
 * other syntax differences cannot apply); what differs is rewritten: {@code x} (extended) is applied here
 * (Java's comments mode also ignores white space inside classes, PCRE's does not), {@code U}/{@code G}
 * (ungreedy) swaps quantifier greediness, {@code E} (dollar end only) turns {@code $} into {@code \z},
 * {@code A} (anchored) becomes {@code \A(?:...)}, POSIX classes become {@code \p{...}}, {@code \cX} /
 * {@code \o{}} / octal escapes become {@code \x{..}}, {@code \N} becomes {@code [^\n]}, named groups become
 * numbered groups and named back-references numbered ones, and a brace that is no quantifier becomes a
 * literal. Java is compiled with {@link Pattern#UNIX_LINES}, so only LF ends a line for {@code .}, {@code ^}
 * and {@code $}, as with PCRE2's default newline.
 * <p>
 * Rejected as unsupported: recursion and subroutine calls, conditionals, backtracking verbs and start
 * options {@code (*...)}, callouts, branch reset {@code (?|}, {@code \K}, {@code \G}, {@code \C}, {@code \X},
 * Unicode properties, options {@code n}, {@code J}, {@code X}, {@code xx}, {@code (?^)}, captures into
 * Suricata variables ({@code (?P<pkt_x>}, {@code flow_}, {@code alert_}), and brace forms whose meaning
 * changed between PCRE2 releases ({@code {,n}}, spaces inside braces). Rejected as invalid: what PCRE2 itself
 * rejects, as far as detected here (unknown letter escapes, {@code [\d-a]}, references to missing groups,
 * out-of-order ranges, values above 0xff), and anything {@code java.util.regex} then refuses to compile.
 */
public final class PcreTranslator
{
    /** PCRE2's {@code x} white space (non-UTF). */
    private static final String PCRE_SPACE = " \t\n\u000B\f\r";

    /** The options in force at the start of the expression. */
    public record Options(
        boolean caseless,
        boolean dotAll,
        boolean multiline,
        boolean extended,
        boolean anchored,
        boolean dollarEndOnly,
        boolean ungreedy)
    {
        public static final Options NONE = new Options(false, false, false, false, false, false, false);
    }

    /**
     * The result.
     *
     * @param javaRegex     the Java expression.
     * @param javaFlags     the {@link Pattern} flags to compile it with.
     * @param hyperscan     how far Hyperscan can run the expression.
     * @param hyperscanNote the constructs that keep it from {@link HyperscanSupport#EXACT}, or null.
     * @param groups        capture groups.
     */
    public record Translation(String javaRegex, int javaFlags, HyperscanSupport hyperscan, String hyperscanNote,
        int groups)
    {
    }

    private PcreTranslator()
    {
    }

    /**
     * @param source the expression as between the slashes of {@code /re/flags}.
     * @throws PcreException when it is invalid or outside the subset.
     */
    public static Translation translate(final String source, final Options options)
    {
        final Worker worker = new Worker(source, options);
        worker.run();
        String regex = worker.out.toString();
        if (options.anchored())
        {
            regex = "\\A(?:" + regex + ")";
        }
        int flags = Pattern.UNIX_LINES;
        flags |= options.caseless() ? Pattern.CASE_INSENSITIVE : 0;
        flags |= options.dotAll() ? Pattern.DOTALL : 0;
        flags |= options.multiline() ? Pattern.MULTILINE : 0;
        try
        {
            Pattern.compile(regex, flags);
        }
        catch (final PatternSyntaxException ex)
        {
            throw PcreException.unsupported("refused by java.util.regex",
                "java.util.regex refuses the translation '" + regex + "': " + ex.getDescription());
        }
        catch (final StackOverflowError ex)
        {
            throw PcreException.unsupported("refused by java.util.regex", "expression too deeply nested");
        }
        final List<String> gaps = new ArrayList<>(worker.hyperscanRefuses);
        gaps.addAll(worker.hyperscanGaps);
        final HyperscanSupport support = !worker.hyperscanRefuses.isEmpty() ? HyperscanSupport.NONE
            : !worker.hyperscanGaps.isEmpty() ? HyperscanSupport.PREFILTER : HyperscanSupport.EXACT;
        return new Translation(regex, flags, support, gaps.isEmpty() ? null : String.join(", ", gaps),
            worker.totalGroups);
    }

    /** Option state of one group level. */
    private record Scope(boolean caseless, boolean multiline, boolean dotAll, boolean extended, boolean ungreedy)
    {
    }

    /** One atom of a character class: a single char, or a set expression already in Java syntax. */
    private record ClassAtom(int ch, String set)
    {
        boolean isChar()
        {
            return null == set;
        }
    }

    private static final class Worker
    {
        final String p;
        final Options options;
        final StringBuilder out = new StringBuilder();
        final Deque<Scope> stack = new ArrayDeque<>();
        /** Constructs Hyperscan runs only as a prefilter. */
        final List<String> hyperscanGaps = new ArrayList<>();
        /** Constructs Hyperscan refuses outright. */
        final List<String> hyperscanRefuses = new ArrayList<>();
        final Map<String, Integer> names = new HashMap<>();
        int totalGroups;
        int opened;
        int i;
        Scope scope;

        Worker(final String p, final Options options)
        {
            this.p = p;
            this.options = options;
            this.scope = new Scope(options.caseless(), options.multiline(), options.dotAll(), options.extended(),
                options.ungreedy());
        }

        void run()
        {
            prescan();
            while (i < p.length())
            {
                final char c = p.charAt(i);
                if (scope.extended() && PCRE_SPACE.indexOf(c) >= 0)
                {
                    i++;
                    continue;
                }
                if (scope.extended() && c == '#')
                {
                    while (i < p.length() && p.charAt(i) != '\n')
                    {
                        i++;
                    }
                    continue;
                }
                switch (c)
                {
                    case '\\' -> escape();
                    case '[' -> charClass();
                    case '(' -> open();
                    case ')' -> close();
                    case '*', '+', '?' ->
                    {
                        i++;
                        quantifier(String.valueOf(c));
                    }
                    case '{' -> brace();
                    case '.', '^', '|' ->
                    {
                        out.append(c);
                        i++;
                    }
                    case '$' ->
                    {
                        out.append(options.dollarEndOnly() && !scope.multiline() ? "\\z" : "$");
                        i++;
                    }
                    default ->
                    {
                        literal(c);
                        i++;
                    }
                }
            }
            if (!stack.isEmpty())
            {
                throw PcreException.invalid("missing )");
            }
        }

        /** Counts capture groups and records group names, so back-references can be resolved in one pass. */
        private void prescan()
        {
            int j = 0;
            while (j < p.length())
            {
                final char c = p.charAt(j);
                if (c == '\\')
                {
                    if (p.startsWith("\\Q", j))
                    {
                        final int end = p.indexOf("\\E", j + 2);
                        j = end < 0 ? p.length() : end + 2;
                    }
                    else
                    {
                        j += 2;
                    }
                }
                else if (c == '[')
                {
                    j = skipClass(j);
                }
                else if (c == '(')
                {
                    String name = null;
                    boolean capture = false;
                    if (!p.startsWith("(?", j) && !p.startsWith("(*", j))
                    {
                        capture = true;
                    }
                    else if (p.startsWith("(?<", j) && !p.startsWith("(?<=", j) && !p.startsWith("(?<!", j))
                    {
                        name = groupName(j + 3, '>');
                    }
                    else if (p.startsWith("(?P<", j))
                    {
                        name = groupName(j + 4, '>');
                    }
                    else if (p.startsWith("(?'", j))
                    {
                        name = groupName(j + 3, '\'');
                    }
                    if (capture || null != name)
                    {
                        totalGroups++;
                        if (null != name && null != names.putIfAbsent(name, totalGroups))
                        {
                            throw PcreException.unsupported("duplicate group names",
                                "group name '" + name + "' is used twice");
                        }
                    }
                    j++;
                }
                else if (c == '#' && options.extended())
                {
                    while (j < p.length() && p.charAt(j) != '\n')
                    {
                        j++;
                    }
                }
                else
                {
                    j++;
                }
            }
        }

        /** Index after the class starting at {@code start}. */
        private int skipClass(final int start)
        {
            int j = start + 1;
            if (j < p.length() && p.charAt(j) == '^')
            {
                j++;
            }
            if (j < p.length() && p.charAt(j) == ']')
            {
                j++;
            }
            while (j < p.length() && p.charAt(j) != ']')
            {
                if (p.charAt(j) == '\\')
                {
                    j += 2;
                }
                else if (p.startsWith("[:", j) && p.indexOf(":]", j + 2) > 0)
                {
                    j = p.indexOf(":]", j + 2) + 2;
                }
                else
                {
                    j++;
                }
            }
            return j + 1;
        }

        private String groupName(final int start, final char terminator)
        {
            final int end = p.indexOf(terminator, start);
            if (end < 0)
            {
                throw PcreException.invalid("unterminated group name");
            }
            final String name = p.substring(start, end);
            if (name.isEmpty() || name.length() > 32 || Character.isDigit(name.charAt(0))
                || !name.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_')))
            {
                throw PcreException.invalid("bad group name '" + name + "'");
            }
            final String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("pkt_") || lower.startsWith("flow_") || lower.startsWith("alert_"))
            {
                throw PcreException.unsupported("capture into variables",
                    "group (?<" + name + ">...) would store a capture in a Suricata variable");
            }
            return name;
        }

        // ---- outside classes ----

        private void escape()
        {
            if (i + 1 >= p.length())
            {
                throw PcreException.invalid("\\ at end of expression");
            }
            final char d = p.charAt(i + 1);
            i += 2;
            switch (d)
            {
                case 'd', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V', 'b', 'B', 'A', 'z', 'Z' ->
                    out.append('\\').append(d);
                case 'R' ->
                {
                    out.append("\\R");
                    refused("\\R");
                }
                case 'N' ->
                {
                    if (i < p.length() && p.charAt(i) == '{')
                    {
                        throw PcreException.unsupported("\\N{...}", "\\N{...} names a Unicode character");
                    }
                    out.append("[^\\n]");
                    refused("\\N");
                }
                case 'Q' -> quoted();
                case 'E' ->
                {
                    // \E without \Q: ignored, as in PCRE2.
                }
                case 'g' -> backReference(gReference());
                case 'k' -> backReference(namedReference(kName()));
                case 'G' -> throw PcreException.unsupported("\\G", "\\G depends on where matching starts");
                case 'K' -> throw PcreException.unsupported("\\K", "\\K resets the match start");
                case 'C' -> throw PcreException.unsupported("\\C", "\\C matches one code unit");
                case 'X' -> throw PcreException.unsupported("\\X", "\\X matches an extended grapheme cluster");
                case 'p', 'P' -> throw PcreException.unsupported("Unicode properties",
                    "\\" + d + " tests Unicode properties");
                default ->
                {
                    if (d >= '1' && d <= '9')
                    {
                        digitsOutsideClass();
                    }
                    else
                    {
                        final int value = charEscape(d, false);
                        literal(value);
                    }
                }
            }
        }

        /**
         * A char escape, {@code i} after its letter; returns the char value. Shared by both contexts.
         */
        private int charEscape(final char d, final boolean inClass)
        {
            switch (d)
            {
                case 'a':
                    return 0x07;
                case 'e':
                    return 0x1B;
                case 'f':
                    return 0x0C;
                case 'n':
                    return 0x0A;
                case 'r':
                    return 0x0D;
                case 't':
                    return 0x09;
                case '0':
                {
                    int v = 0;
                    int n = 0;
                    while (n < 2 && i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '7')
                    {
                        v = v * 8 + (p.charAt(i) - '0');
                        i++;
                        n++;
                    }
                    return v;
                }
                case 'o':
                {
                    final int close = p.indexOf('}', i);
                    if (i >= p.length() || p.charAt(i) != '{' || close < 0)
                    {
                        throw PcreException.invalid("\\o must be followed by {octal}");
                    }
                    final int v = parse(p.substring(i + 1, close), 8, "\\o{}");
                    i = close + 1;
                    return byteValue(v);
                }
                case 'x':
                {
                    if (i < p.length() && p.charAt(i) == '{')
                    {
                        final int close = p.indexOf('}', i);
                        if (close < 0)
                        {
                            throw PcreException.invalid("unterminated \\x{");
                        }
                        final int v = parse(p.substring(i + 1, close), 16, "\\x{}");
                        i = close + 1;
                        return byteValue(v);
                    }
                    int v = 0;
                    int n = 0;
                    while (n < 2 && i < p.length() && Character.digit(p.charAt(i), 16) >= 0)
                    {
                        v = v * 16 + Character.digit(p.charAt(i), 16);
                        i++;
                        n++;
                    }
                    return v;
                }
                case 'c':
                {
                    if (i >= p.length() || p.charAt(i) < 0x20 || p.charAt(i) > 0x7E)
                    {
                        throw PcreException.invalid("\\c must be followed by a printable ASCII character");
                    }
                    final char x = Character.toUpperCase(p.charAt(i));
                    i++;
                    return x ^ 0x40;
                }
                default:
                    if (d >= 0x80 || !Character.isLetterOrDigit(d))
                    {
                        return d;
                    }
                    throw PcreException.invalid("unrecognised escape \\" + d + (inClass ? " in a class" : ""));
            }
        }

        private static int parse(final String digits, final int radix, final String what)
        {
            try
            {
                if (digits.isEmpty())
                {
                    throw new NumberFormatException();
                }
                return Integer.parseInt(digits, radix);
            }
            catch (final NumberFormatException ex)
            {
                throw PcreException.invalid("bad number in " + what + ": '" + digits + "'");
            }
        }

        private static int byteValue(final int v)
        {
            if (v > 0xFF)
            {
                throw PcreException.invalid("character value 0x" + Integer.toHexString(v) + " is above 0xff");
            }
            return v;
        }

        /** {@code \1}..: a back-reference or an octal escape, by PCRE2's rule. {@code i} is after the first digit. */
        private void digitsOutsideClass()
        {
            final int start = i - 1;
            int end = start;
            while (end < p.length() && Character.isDigit(p.charAt(end)))
            {
                end++;
            }
            final String digits = p.substring(start, end);
            final int n = digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (n < 10 || digits.charAt(0) == '8' || digits.charAt(0) == '9' || n <= opened)
            {
                i = end;
                backReference(n);
                return;
            }
            int v = 0;
            int j = start;
            while (j < end && j < start + 3 && p.charAt(j) <= '7')
            {
                v = v * 8 + (p.charAt(j) - '0');
                j++;
            }
            i = j;
            literal(byteValue(v));
        }

        private int gReference()
        {
            if (i >= p.length())
            {
                throw PcreException.invalid("\\g at end of expression");
            }
            final char c = p.charAt(i);
            if (c == '<' || c == '\'')
            {
                throw PcreException.unsupported("subroutine calls", "\\g" + c + " calls a subroutine");
            }
            String ref;
            if (c == '{')
            {
                final int close = p.indexOf('}', i);
                if (close < 0)
                {
                    throw PcreException.invalid("unterminated \\g{");
                }
                ref = p.substring(i + 1, close);
                i = close + 1;
            }
            else
            {
                int j = i;
                if (j < p.length() && (p.charAt(j) == '-' || p.charAt(j) == '+'))
                {
                    j++;
                }
                while (j < p.length() && Character.isDigit(p.charAt(j)))
                {
                    j++;
                }
                ref = p.substring(i, j);
                i = j;
            }
            if (ref.matches("[+-]?\\d+"))
            {
                if (ref.startsWith("+"))
                {
                    throw PcreException.invalid("\\g+n is not a back-reference");
                }
                final int n = Integer.parseInt(ref);
                return n < 0 ? opened + 1 + n : n;
            }
            return namedReference(ref);
        }

        private String kName()
        {
            if (i >= p.length())
            {
                throw PcreException.invalid("\\k at end of expression");
            }
            final char open = p.charAt(i);
            final char close = open == '<' ? '>' : open == '\'' ? '\'' : open == '{' ? '}' : 0;
            final int end = 0 == close ? -1 : p.indexOf(close, i + 1);
            if (end < 0)
            {
                throw PcreException.invalid("\\k must be followed by <name>, 'name' or {name}");
            }
            final String name = p.substring(i + 1, end);
            i = end + 1;
            return name;
        }

        private int namedReference(final String name)
        {
            final Integer n = names.get(name);
            if (null == n)
            {
                throw PcreException.invalid("reference to an undefined group name '" + name + "'");
            }
            return n;
        }

        private void backReference(final int n)
        {
            if (n <= 0 || n > totalGroups)
            {
                throw PcreException.invalid("reference to non-existent group " + n);
            }
            if (n >= 10 && n > opened)
            {
                throw PcreException.unsupported("forward references",
                    "forward reference to group " + n + " (java.util.regex cannot express it)");
            }
            out.append("(?:\\").append(n).append(')');
            gap("back-references");
        }

        /** {@code \Q...\E}, {@code i} after the Q. */
        private void quoted()
        {
            final int end = p.indexOf("\\E", i);
            final int stop = end < 0 ? p.length() : end;
            for (int j = i; j < stop; j++)
            {
                literal(p.charAt(j));
            }
            i = end < 0 ? p.length() : end + 2;
        }

        private void open()
        {
            if (p.startsWith("(*", i))
            {
                throw PcreException.unsupported("(*VERB) and start options",
                    "backtracking control verbs and (*...) start options are not supported");
            }
            if (!p.startsWith("(?", i))
            {
                i++;
                opened++;
                push(scope);
                out.append('(');
                return;
            }
            if (p.startsWith("(?#", i))
            {
                final int close = p.indexOf(')', i);
                if (close < 0)
                {
                    throw PcreException.invalid("unterminated (?# comment");
                }
                i = close + 1;
                return;
            }
            final int j = i + 2;
            final char d = j < p.length() ? p.charAt(j) : 0;
            switch (d)
            {
                case ':' -> group(3, "(?:");
                case '>' ->
                {
                    group(3, "(?>");
                    gap("atomic groups");
                }
                case '=', '!' ->
                {
                    group(3, "(?" + d);
                    gap("lookaround");
                }
                case '<' ->
                {
                    final char e = j + 1 < p.length() ? p.charAt(j + 1) : 0;
                    if (e == '=' || e == '!')
                    {
                        group(4, "(?<" + e);
                        gap("lookaround");
                    }
                    else
                    {
                        namedGroup(j + 1, '>');
                    }
                }
                case '\'' -> namedGroup(j + 1, '\'');
                case 'P' ->
                {
                    final char e = j + 1 < p.length() ? p.charAt(j + 1) : 0;
                    if (e == '<')
                    {
                        namedGroup(j + 2, '>');
                    }
                    else if (e == '=')
                    {
                        final int close = p.indexOf(')', j);
                        if (close < 0)
                        {
                            throw PcreException.invalid("unterminated (?P=");
                        }
                        final int n = namedReference(p.substring(j + 2, close));
                        i = close + 1;
                        backReference(n);
                    }
                    else
                    {
                        throw PcreException.unsupported("subroutine calls", "(?P> calls a subroutine");
                    }
                }
                case '|' -> throw PcreException.unsupported("branch reset", "(?| resets group numbers");
                case '(' -> throw PcreException.unsupported("conditionals", "(?( is a conditional group");
                case 'C' -> throw PcreException.unsupported("callouts", "(?C is a callout");
                case '&', 'R', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' ->
                    throw PcreException.unsupported("recursion and subroutine calls",
                        "(?" + d + " recurses or calls a subroutine");
                case '-' ->
                {
                    if (j + 1 < p.length() && Character.isDigit(p.charAt(j + 1)))
                    {
                        throw PcreException.unsupported("recursion and subroutine calls",
                            "(?-n) calls a subroutine");
                    }
                    options(j);
                }
                default -> options(j);
            }
        }

        private void group(final int length, final String java)
        {
            i += length;
            push(scope);
            out.append(java);
        }

        private void namedGroup(final int nameStart, final char terminator)
        {
            final String name = groupName(nameStart, terminator);
            i = nameStart + name.length() + 1;
            opened++;
            push(scope);
            out.append('(');
        }

        /** {@code (?imsxU-imsxU)} or {@code (?imsxU-imsxU:}, {@code j} at the first option letter. */
        private void options(final int j)
        {
            boolean on = true;
            boolean caseless = scope.caseless();
            boolean multiline = scope.multiline();
            boolean dotAll = scope.dotAll();
            boolean extended = scope.extended();
            boolean ungreedy = scope.ungreedy();
            final StringBuilder javaOn = new StringBuilder();
            final StringBuilder javaOff = new StringBuilder();
            int k = j;
            while (k < p.length() && p.charAt(k) != ')' && p.charAt(k) != ':')
            {
                final char c = p.charAt(k);
                switch (c)
                {
                    case '-' -> on = false;
                    case 'i' -> caseless = on;
                    case 'm' -> multiline = on;
                    case 's' -> dotAll = on;
                    case 'x' ->
                    {
                        if (k + 1 < p.length() && p.charAt(k + 1) == 'x')
                        {
                            throw PcreException.unsupported("option xx", "(?xx) also ignores space in classes");
                        }
                        extended = on;
                    }
                    case 'U' ->
                    {
                        ungreedy = on;
                        refused("inline (?U)");
                    }
                    case 'n', 'J', 'X', '^' -> throw PcreException.unsupported("option " + c,
                        "inline option (?" + c + ") is not supported");
                    default -> throw PcreException.invalid("unknown inline option '" + c + "'");
                }
                if (c == 'i' || c == 'm' || c == 's')
                {
                    (on ? javaOn : javaOff).append(c);
                }
                k++;
            }
            if (k >= p.length())
            {
                throw PcreException.invalid("unterminated (? group");
            }
            final String java = javaOn + (javaOff.isEmpty() ? "" : "-" + javaOff);
            final Scope changed = new Scope(caseless, multiline, dotAll, extended, ungreedy);
            if (p.charAt(k) == ')')
            {
                if (!java.isEmpty())
                {
                    out.append("(?").append(java).append(')');
                }
                scope = changed;
                i = k + 1;
            }
            else
            {
                push(scope);
                scope = changed;
                out.append("(?").append(java).append(':');
                i = k + 1;
            }
        }

        private void push(final Scope outer)
        {
            stack.push(outer);
        }

        private void close()
        {
            if (stack.isEmpty())
            {
                throw PcreException.invalid("unmatched )");
            }
            scope = stack.pop();
            out.append(')');
            i++;
        }

        /** Emits {@code q} (already consumed) with the lazy / possessive suffix that follows it. */
        private void quantifier(final String q)
        {
            out.append(q);
            final char next = i < p.length() ? p.charAt(i) : 0;
            if (next == '+')
            {
                out.append('+');
                i++;
                gap("possessive quantifiers");
            }
            else if (next == '?')
            {
                i++;
                if (!scope.ungreedy())
                {
                    out.append('?');
                }
            }
            else if (scope.ungreedy())
            {
                out.append('?');
            }
        }

        private void brace()
        {
            final int close = p.indexOf('}', i);
            final String inside = close < 0 ? "" : p.substring(i + 1, close);
            if (close > 0 && inside.matches("\\d+(,\\d*)?"))
            {
                final String[] parts = inside.split(",", -1);
                final long low = parts[0].length() > 6 ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                final long high = parts.length < 2 ? low
                    : parts[1].isEmpty() ? -1 : parts[1].length() > 6 ? Long.MAX_VALUE : Long.parseLong(parts[1]);
                if (low > 65535 || high > 65535)
                {
                    throw PcreException.invalid("number too big in {} quantifier");
                }
                if (high >= 0 && high < low)
                {
                    throw PcreException.invalid("numbers out of order in {} quantifier");
                }
                i = close + 1;
                quantifier("{" + inside + "}");
            }
            else if (close > 0 && inside.matches("[\\d\\s]*,?[\\d\\s]*") && inside.matches(".*\\d.*"))
            {
                throw PcreException.unsupported("{,n} and spaced quantifiers",
                    "'{" + inside + "}' is a literal before PCRE2 10.43 and a quantifier after");
            }
            else
            {
                literal('{');
                i++;
            }
        }

        // ---- classes ----

        private void charClass()
        {
            i++;
            final StringBuilder cls = new StringBuilder("[");
            if (i < p.length() && p.charAt(i) == '^')
            {
                cls.append('^');
                i++;
            }
            boolean first = true;
            while (true)
            {
                if (i >= p.length())
                {
                    throw PcreException.invalid("missing terminating ] for character class");
                }
                if (p.charAt(i) == ']' && !first)
                {
                    i++;
                    break;
                }
                if (p.startsWith("\\Q", i))
                {
                    final int end = p.indexOf("\\E", i + 2);
                    final int stop = end < 0 ? p.length() : end;
                    for (int j = i + 2; j < stop; j++)
                    {
                        cls.append(hex(p.charAt(j)));
                    }
                    i = end < 0 ? p.length() : end + 2;
                    first = false;
                    continue;
                }
                if (p.startsWith("\\E", i))
                {
                    i += 2;
                    continue;
                }
                first = false;
                final ClassAtom atom = classAtom();
                if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']')
                {
                    if (!atom.isChar())
                    {
                        throw PcreException.invalid("invalid range in character class (a set before '-')");
                    }
                    i++;
                    final ClassAtom end = classAtom();
                    if (!end.isChar())
                    {
                        throw PcreException.invalid("invalid range in character class (a set after '-')");
                    }
                    if (end.ch() < atom.ch())
                    {
                        throw PcreException.invalid("range out of order in character class");
                    }
                    cls.append(hex(atom.ch())).append('-').append(hex(end.ch()));
                }
                else
                {
                    cls.append(atom.isChar() ? hex(atom.ch()) : atom.set());
                }
            }
            out.append(cls).append(']');
        }

        private ClassAtom classAtom()
        {
            final char c = p.charAt(i);
            if (c == '[' && i + 1 < p.length() && (p.charAt(i + 1) == ':' || p.charAt(i + 1) == '.'
                || p.charAt(i + 1) == '='))
            {
                final char kind = p.charAt(i + 1);
                final int end = p.indexOf(kind + "]", i + 2);
                if (end > 0)
                {
                    if (kind != ':')
                    {
                        throw PcreException.invalid("POSIX collating elements are not supported by PCRE2");
                    }
                    final String name = p.substring(i + 2, end);
                    i = end + 2;
                    return new ClassAtom(-1, posix(name));
                }
            }
            if (c != '\\')
            {
                i++;
                return new ClassAtom(c, null);
            }
            if (i + 1 >= p.length())
            {
                throw PcreException.invalid("\\ at end of expression");
            }
            final char d = p.charAt(i + 1);
            i += 2;
            switch (d)
            {
                case 'd', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V':
                    return new ClassAtom(-1, "\\" + d);
                case 'b':
                    return new ClassAtom(0x08, null);
                case 'p', 'P':
                    throw PcreException.unsupported("Unicode properties", "\\" + d + " tests Unicode properties");
                case 'N', 'R', 'X', 'B', 'G', 'K', 'A', 'z', 'Z', 'g', 'k', 'Q', 'E', 'C':
                    throw PcreException.invalid("escape \\" + d + " is not allowed in a character class");
                default:
                    if (d >= '1' && d <= '7')
                    {
                        int v = d - '0';
                        int n = 1;
                        while (n < 3 && i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '7')
                        {
                            v = v * 8 + (p.charAt(i) - '0');
                            i++;
                            n++;
                        }
                        return new ClassAtom(byteValue(v), null);
                    }
                    if (d == '8' || d == '9')
                    {
                        throw PcreException.invalid("\\" + d + " in a character class");
                    }
                    return new ClassAtom(charEscape(d, true), null);
            }
        }

        private String posix(final String raw)
        {
            final boolean negated = raw.startsWith("^");
            final String name = negated ? raw.substring(1) : raw;
            String set = switch (name)
            {
                case "alnum" -> "Alnum";
                case "alpha" -> "Alpha";
                case "ascii" -> "ASCII";
                case "blank" -> "Blank";
                case "cntrl" -> "Cntrl";
                case "digit" -> "Digit";
                case "graph" -> "Graph";
                case "lower" -> scope.caseless() ? "Alpha" : "Lower";
                case "print" -> "Print";
                case "punct" -> "Punct";
                case "space" -> "space";
                case "upper" -> scope.caseless() ? "Alpha" : "Upper";
                case "word" -> "word";
                case "xdigit" -> "XDigit";
                default -> throw PcreException.invalid("unknown POSIX class [:" + raw + ":]");
            };
            if (set.equals("space"))
            {
                return negated ? "\\S" : "\\s";
            }
            if (set.equals("word"))
            {
                return negated ? "\\W" : "\\w";
            }
            return (negated ? "\\P{" : "\\p{") + set + "}";
        }

        // ---- output helpers ----

        private void literal(final int c)
        {
            if (c < 0x80 && Character.isLetterOrDigit(c))
            {
                out.append((char)c);
            }
            else if (c == ' ')
            {
                out.append(' ');
            }
            else if (c > 0x20 && c < 0x7F)
            {
                out.append('\\').append((char)c);
            }
            else
            {
                out.append(hex(c));
            }
        }

        private static String hex(final int c)
        {
            if (c < 0x80 && Character.isLetterOrDigit(c))
            {
                return String.valueOf((char)c);
            }
            return String.format("\\x{%02X}", c);
        }

        private void gap(final String construct)
        {
            if (!hyperscanGaps.contains(construct))
            {
                hyperscanGaps.add(construct);
            }
        }

        private void refused(final String construct)
        {
            if (!hyperscanRefuses.contains(construct))
            {
                hyperscanRefuses.add(construct);
            }
        }
    }
}
