package io.opensase.ips.rules.pcre;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Test helper: generates strings that tend to match a pattern of the translator's output syntax, by walking
 * it (a branch per alternation, a count per quantifier, a member per class; lookaround and anchors emit
 * nothing, back-references repeat their group). The strings only need to be varied and often matching: the
 * differential test compares PCRE2 and Java on each of them, and whether they match is what it checks.
 */
final class RegexSampler
{
    private sealed interface Node permits Seq, Alt, Group, Repeat, CharSet, Literal, Backref, Empty
    {
    }

    private record Seq(List<Node> nodes) implements Node
    {
    }

    private record Alt(List<Node> branches) implements Node
    {
    }

    /** @param capture group number, or -1; {@code skip} for lookaround. */
    private record Group(Node body, int capture, boolean skip) implements Node
    {
    }

    private record Repeat(Node body, int min, int max) implements Node
    {
    }

    private record CharSet(Pattern pattern) implements Node
    {
    }

    private record Literal(char c) implements Node
    {
    }

    private record Backref(int group) implements Node
    {
    }

    private record Empty() implements Node
    {
    }

    private final String p;
    private final int flags;
    private final Random random;
    private final Node root;
    private int i;
    private int groups;
    private final Map<Integer, String> captured = new HashMap<>();

    RegexSampler(final String regex, final int flags, final Random random)
    {
        this.p = regex;
        this.flags = flags;
        this.random = random;
        this.root = alternation();
    }

    String sample()
    {
        captured.clear();
        final StringBuilder sb = new StringBuilder();
        emit(root, sb);
        return sb.toString();
    }

    private void emit(final Node node, final StringBuilder sb)
    {
        switch (node)
        {
            case Seq s -> s.nodes().forEach(n -> emit(n, sb));
            case Alt a -> emit(a.branches().get(random.nextInt(a.branches().size())), sb);
            case Group g ->
            {
                if (!g.skip())
                {
                    final int start = sb.length();
                    emit(g.body(), sb);
                    if (g.capture() > 0)
                    {
                        captured.put(g.capture(), sb.substring(start));
                    }
                }
            }
            case Repeat r ->
            {
                final int spread = (int)Math.min(3, (long)r.max() - r.min());
                final int n = r.min() + (spread <= 0 ? 0 : random.nextInt(spread + 1));
                for (int k = 0; k < n && sb.length() < 20_000; k++)
                {
                    emit(r.body(), sb);
                }
            }
            case CharSet c -> sb.append(member(c.pattern()));
            case Literal l -> sb.append(l.c());
            case Backref b -> sb.append(captured.getOrDefault(b.group(), ""));
            case Empty e ->
            {
                // nothing
            }
        }
    }

    private char member(final Pattern set)
    {
        for (int k = 0; k < 64; k++)
        {
            final char c = (char)(k < 40 ? 0x20 + random.nextInt(0x5F) : random.nextInt(256));
            if (set.matcher(String.valueOf(c)).matches())
            {
                return c;
            }
        }
        for (char c = 0; c < 256; c++)
        {
            if (set.matcher(String.valueOf(c)).matches())
            {
                return c;
            }
        }
        return 'a';
    }

    private Node alternation()
    {
        final List<Node> branches = new ArrayList<>();
        branches.add(sequence());
        while (i < p.length() && p.charAt(i) == '|')
        {
            i++;
            branches.add(sequence());
        }
        return branches.size() == 1 ? branches.get(0) : new Alt(branches);
    }

    private Node sequence()
    {
        final List<Node> nodes = new ArrayList<>();
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')')
        {
            Node atom = atom();
            atom = quantified(atom);
            nodes.add(atom);
        }
        return new Seq(nodes);
    }

    private Node quantified(final Node atom)
    {
        if (i >= p.length())
        {
            return atom;
        }
        int min;
        int max;
        final char c = p.charAt(i);
        if (c == '*' || c == '+' || c == '?')
        {
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : Integer.MAX_VALUE;
            i++;
        }
        else if (c == '{' && p.indexOf('}', i) > i && p.substring(i + 1, p.indexOf('}', i)).matches("\\d+(,\\d*)?"))
        {
            final String[] parts = p.substring(i + 1, p.indexOf('}', i)).split(",", -1);
            min = Integer.parseInt(parts[0]);
            max = parts.length == 1 ? min : parts[1].isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(parts[1]);
            i = p.indexOf('}', i) + 1;
        }
        else
        {
            return atom;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+'))
        {
            i++;
        }
        return new Repeat(atom, min, max);
    }

    private Node atom()
    {
        final char c = p.charAt(i);
        switch (c)
        {
            case '(':
                return group();
            case '[':
            {
                final int end = classEnd(i);
                final Node set = new CharSet(Pattern.compile(p.substring(i, end), flags));
                i = end;
                return set;
            }
            case '.':
                i++;
                return new CharSet(Pattern.compile(".", flags));
            case '^':
            case '$':
                i++;
                return new Empty();
            case '\\':
                return escape();
            default:
                i++;
                return new Literal(c);
        }
    }

    private Node escape()
    {
        final char d = p.charAt(i + 1);
        i += 2;
        if (d == 'x' && i < p.length() && p.charAt(i) == '{')
        {
            final int end = p.indexOf('}', i);
            final char v = (char)Integer.parseInt(p.substring(i + 1, end), 16);
            i = end + 1;
            return new Literal(v);
        }
        if ("dDwWsShHvV".indexOf(d) >= 0)
        {
            return new CharSet(Pattern.compile("\\" + d, flags));
        }
        if (d == 'p' || d == 'P')
        {
            final int end = p.indexOf('}', i);
            final String set = p.substring(i - 2, end + 1);
            i = end + 1;
            return new CharSet(Pattern.compile(set, flags));
        }
        if (d == 'R')
        {
            return new Literal('\n');
        }
        if ("bBAzZ".indexOf(d) >= 0)
        {
            return new Empty();
        }
        if (Character.isDigit(d))
        {
            int end = i;
            while (end < p.length() && Character.isDigit(p.charAt(end)))
            {
                end++;
            }
            final int n = Integer.parseInt(p.substring(i - 1, end));
            i = end;
            return new Backref(n);
        }
        return new Literal(d);
    }

    private Node group()
    {
        i++;
        int capture = -1;
        boolean skip = false;
        if (p.startsWith("?", i))
        {
            if (p.startsWith("?=", i) || p.startsWith("?!", i))
            {
                skip = true;
                i += 2;
            }
            else if (p.startsWith("?<=", i) || p.startsWith("?<!", i))
            {
                skip = true;
                i += 3;
            }
            else if (p.startsWith("?:", i) || p.startsWith("?>", i))
            {
                i += 2;
            }
            else
            {
                int k = i + 1;
                while (k < p.length() && p.charAt(k) != ')' && p.charAt(k) != ':')
                {
                    k++;
                }
                i = k + 1;
                if (p.charAt(k) == ')')
                {
                    return new Empty();
                }
            }
        }
        else
        {
            capture = ++groups;
        }
        final Node body = alternation();
        i++;
        return new Group(body, capture, skip);
    }

    private int classEnd(final int start)
    {
        int j = start + 1;
        if (p.charAt(j) == '^')
        {
            j++;
        }
        while (p.charAt(j) != ']')
        {
            if (p.charAt(j) == '\\')
            {
                final char d = p.charAt(j + 1);
                if ((d == 'x' || d == 'p' || d == 'P') && p.charAt(j + 2) == '{')
                {
                    j = p.indexOf('}', j) + 1;
                }
                else
                {
                    j += 2;
                }
            }
            else
            {
                j++;
            }
        }
        return j + 1;
    }
}
