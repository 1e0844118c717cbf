package io.opensase.ips.rules;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the address and port fields of rule headers against {@link Variables}, with Suricata's
 * semantics: a list is flattened into positive and negated entries (a {@code !} flips every entry under
 * it, variables included), then, per address family, the result is the positive entries (or the whole
 * family when there are none but there are negated ones) minus the negated entries. So {@code !$HOME_NET}
 * with an IPv4-only home network covers the rest of IPv4 and no IPv6. A result with no address (no port)
 * at all is an error, as is {@code !any}. Results are cached by field text. Not thread-safe.
 */
final class HeaderParser
{
    private static final BigInteger[] ALL_V4 = {BigInteger.ZERO, AddressSet.V4_MAX};
    private static final BigInteger[] ALL_V6 = {BigInteger.ZERO, AddressSet.V6_MAX};

    private final Variables variables;
    private final Map<String, AddressSet> addressCache = new HashMap<>();
    private final Map<String, PortSet> portCache = new HashMap<>();

    HeaderParser(final Variables variables)
    {
        this.variables = variables;
    }

    /** Groups nested deeper than this, or more negations than this, are refused (the lists are parsed recursively). */
    static final int MAX_NESTING = 64;
    /**
     * Entries (groups, negations, variables, addresses or ports) one field may take once its variables are
     * expanded: variables that each name the next twice ({@code V0: "[$V1,$V1]"}) double the list at every
     * level, and 24 such levels, within the depth limit, kept the configuration check busy for minutes.
     */
    static final int MAX_ENTRIES = 100_000;

    private int entries;

    /**
     * Refuses an address or port list nested deeper (brackets and negations together) than {@link #MAX_NESTING}:
     * such a list is no real policy, and parsing it would exhaust the stack.
     */
    private static void requireShallow(final String text, final String what)
    {
        int depth = 0;
        int deepest = 0;
        int negations = 0;
        for (int i = 0; i < text.length(); i++)
        {
            switch (text.charAt(i))
            {
                case '[' -> deepest = Math.max(deepest, ++depth);
                case ']' -> depth--;
                case '!' -> negations++;
                default ->
                {
                }
            }
        }
        if (deepest + negations > MAX_NESTING)
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, what,
                "nested " + deepest + " groups deep with " + negations + " negations; at most " + MAX_NESTING
                    + " in all");
        }
    }

    /**
     * Refuses a list more than {@link #MAX_NESTING} levels deep once variables are expanded (each group, negation
     * and variable is a level): a variable's value is not checked as the field text is, and a deep one would
     * exhaust the stack as the recursive parse descends.
     */
    private static void requireLevel(final int depth, final Deque<String> names, final String what)
    {
        if (depth > MAX_NESTING)
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, what, "variable $" + names.peek()
                + " takes groups, negations and variables more than " + MAX_NESTING + " levels deep");
        }
    }

    /** Counts one more entry of the field being expanded and refuses it past {@link #MAX_ENTRIES}. */
    private void requireFewEntries(final String what)
    {
        if (++entries > MAX_ENTRIES)
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, what,
                "the list takes more than " + MAX_ENTRIES + " entries once its variables are expanded");
        }
    }

    /**
     * The message for {@code $name} met again while expanding {@code names} (innermost first): the steps from
     * {@code $name} round to itself, in the order the values refer to them.
     */
    private static String cycle(final String text, final Deque<String> names)
    {
        final List<String> expanded = new ArrayList<>(names);
        Collections.reverse(expanded);
        final List<String> steps = new ArrayList<>(expanded.subList(expanded.indexOf(text.substring(1)) + 1,
            expanded.size()));
        steps.add(text.substring(1));
        return "variable " + text + " refers to itself through $" + String.join(", $", steps);
    }

    /** @param field "source" or "destination", for messages. */
    AddressSet addresses(final String text, final String field)
    {
        final AddressSet cached = addressCache.get(text);
        if (null != cached)
        {
            return cached;
        }
        requireShallow(text, field + " address");
        entries = 0;
        final Flat flat = new Flat();
        collectAddresses(text, false, flat, new ArrayDeque<>(), field, 0);
        final List<BigInteger[]> v4 = AddressSet.subtract(base(flat.pos4, flat.neg4, ALL_V4), flat.neg4);
        final List<BigInteger[]> v6 = AddressSet.subtract(base(flat.pos6, flat.neg6, ALL_V6), flat.neg6);
        if (v4.isEmpty() && v6.isEmpty())
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, field + " address",
                "'" + text + "' leaves no address");
        }
        final AddressSet set = new AddressSet(v4, v6);
        addressCache.put(text, set);
        return set;
    }

    /** @param field "source" or "destination", for messages. */
    PortSet ports(final String text, final String field)
    {
        final PortSet cached = portCache.get(text);
        if (null != cached)
        {
            return cached;
        }
        requireShallow(text, field + " port");
        entries = 0;
        final List<BigInteger[]> pos = new ArrayList<>();
        final List<BigInteger[]> neg = new ArrayList<>();
        collectPorts(text, false, pos, neg, new ArrayDeque<>(), field, 0);
        final BigInteger[] all = {BigInteger.ZERO, BigInteger.valueOf(65535)};
        final List<BigInteger[]> ranges = AddressSet.subtract(base(pos, neg, all), neg);
        if (ranges.isEmpty())
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, field + " port", "'" + text + "' leaves no port");
        }
        final int[] flat = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++)
        {
            flat[2 * i] = ranges.get(i)[0].intValue();
            flat[2 * i + 1] = ranges.get(i)[1].intValue();
        }
        final PortSet set = new PortSet(flat);
        portCache.put(text, set);
        return set;
    }

    private static List<BigInteger[]> base(
        final List<BigInteger[]> pos, final List<BigInteger[]> neg, final BigInteger[] all)
    {
        if (!pos.isEmpty())
        {
            return pos;
        }
        return neg.isEmpty() ? List.of() : Collections.singletonList(all);
    }

    private static final class Flat
    {
        final List<BigInteger[]> pos4 = new ArrayList<>();
        final List<BigInteger[]> pos6 = new ArrayList<>();
        final List<BigInteger[]> neg4 = new ArrayList<>();
        final List<BigInteger[]> neg6 = new ArrayList<>();
    }

    private void collectAddresses(final String raw, final boolean negated, final Flat flat, final Deque<String> names,
        final String field, final int depth)
    {
        final String text = raw.strip();
        if (text.isEmpty())
        {
            throw badAddress(field, "empty address in the list");
        }
        requireLevel(depth, names, field + " address");
        requireFewEntries(field + " address");
        if (text.startsWith("!"))
        {
            collectAddresses(text.substring(1), !negated, flat, names, field, depth + 1);
        }
        else if (text.startsWith("["))
        {
            for (final String item : splitGroup(text, field + " address"))
            {
                collectAddresses(item, negated, flat, names, field, depth + 1);
            }
        }
        else if (text.startsWith("$"))
        {
            final String name = text.substring(1);
            final String value = variables.address(name);
            if (null == value)
            {
                throw new RuleException(SkipReason.Category.UNDEFINED_VARIABLE, text,
                    "no address group " + text + " is defined");
            }
            if (names.contains(name))
            {
                throw new RuleException(SkipReason.Category.BAD_HEADER, field + " address", cycle(text, names));
            }
            names.push(name);
            collectAddresses(value, negated, flat, names, field, depth + 1);
            names.pop();
        }
        else if (text.equals("any"))
        {
            if (negated)
            {
                throw badAddress(field, "'!any' negates every address");
            }
            flat.pos4.add(ALL_V4);
            flat.pos6.add(ALL_V6);
        }
        else
        {
            final boolean v6 = text.indexOf(':') >= 0;
            final BigInteger[] range = v6 ? ipv6Range(text, field) : ipv4Range(text, field);
            (v6 ? (negated ? flat.neg6 : flat.pos6) : (negated ? flat.neg4 : flat.pos4)).add(range);
        }
    }

    private void collectPorts(
        final String raw,
        final boolean negated,
        final List<BigInteger[]> pos,
        final List<BigInteger[]> neg,
        final Deque<String> names,
        final String field,
        final int depth)
    {
        final String text = raw.strip();
        if (text.isEmpty())
        {
            throw badPort(field, "empty port in the list");
        }
        requireLevel(depth, names, field + " port");
        requireFewEntries(field + " port");
        if (text.startsWith("!"))
        {
            collectPorts(text.substring(1), !negated, pos, neg, names, field, depth + 1);
        }
        else if (text.startsWith("["))
        {
            for (final String item : splitGroup(text, field + " port"))
            {
                collectPorts(item, negated, pos, neg, names, field, depth + 1);
            }
        }
        else if (text.startsWith("$"))
        {
            final String name = text.substring(1);
            final String value = variables.port(name);
            if (null == value)
            {
                throw new RuleException(SkipReason.Category.UNDEFINED_VARIABLE, text,
                    "no port group " + text + " is defined");
            }
            if (names.contains(name))
            {
                throw new RuleException(SkipReason.Category.BAD_HEADER, field + " port", cycle(text, names));
            }
            names.push(name);
            collectPorts(value, negated, pos, neg, names, field, depth + 1);
            names.pop();
        }
        else if (text.equals("any"))
        {
            if (negated)
            {
                throw badPort(field, "'!any' negates every port");
            }
            pos.add(new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(65535)});
        }
        else
        {
            final int colon = text.indexOf(':');
            final int low = colon == 0 ? 0 : port(colon < 0 ? text : text.substring(0, colon), field);
            final int high = colon < 0 ? low
                : colon == text.length() - 1 ? 65535 : port(text.substring(colon + 1), field);
            if (low > high)
            {
                throw badPort(field, "range '" + text + "' runs backwards");
            }
            (negated ? neg : pos).add(new BigInteger[] {BigInteger.valueOf(low), BigInteger.valueOf(high)});
        }
    }

    private static int port(final String text, final String field)
    {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit))
        {
            throw badPort(field, "'" + text + "' is not a port number");
        }
        final int port = Integer.parseInt(text);
        if (port > 65535)
        {
            throw badPort(field, port + " is above 65535");
        }
        return port;
    }

    /** The items of a bracketed list, split at top-level commas. */
    private static List<String> splitGroup(final String text, final String what)
    {
        if (!text.endsWith("]"))
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, what, "'" + text + "' lacks its closing ]");
        }
        final List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 1;
        for (int i = 1; i < text.length() - 1; i++)
        {
            final char c = text.charAt(i);
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
                if (depth < 0)
                {
                    throw new RuleException(SkipReason.Category.BAD_HEADER, what,
                        "unbalanced brackets in '" + text + "'");
                }
            }
            else if (c == ',' && 0 == depth)
            {
                items.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (0 != depth)
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, what, "unbalanced brackets in '" + text + "'");
        }
        items.add(text.substring(start, text.length() - 1));
        return items;
    }

    private static BigInteger[] ipv4Range(final String text, final String field)
    {
        final int dash = text.indexOf('-');
        if (dash > 0)
        {
            final long low = ipv4(text.substring(0, dash), field);
            final long high = ipv4(text.substring(dash + 1), field);
            if (low > high)
            {
                throw badAddress(field, "range '" + text + "' runs backwards");
            }
            return new BigInteger[] {BigInteger.valueOf(low), BigInteger.valueOf(high)};
        }
        final int slash = text.indexOf('/');
        final long address = ipv4(slash < 0 ? text : text.substring(0, slash), field);
        long mask = 0xFFFF_FFFFL;
        if (slash >= 0)
        {
            final String suffix = text.substring(slash + 1);
            if (suffix.indexOf('.') >= 0)
            {
                mask = ipv4(suffix, field);
                final long inverted = ~mask & 0xFFFF_FFFFL;
                if ((inverted & (inverted + 1)) != 0)
                {
                    throw badAddress(field, "netmask '" + suffix + "' is not contiguous");
                }
            }
            else
            {
                final int bits = prefix(suffix, 32, field);
                mask = 0 == bits ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
            }
        }
        final long low = address & mask;
        return new BigInteger[] {BigInteger.valueOf(low), BigInteger.valueOf(low | (~mask & 0xFFFF_FFFFL))};
    }

    private static long ipv4(final String text, final String field)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            throw badAddress(field, "'" + text + "' is not an IPv4 address");
        }
        long value = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit))
            {
                throw badAddress(field, "'" + text + "' is not an IPv4 address");
            }
            final int octet = Integer.parseInt(part);
            if (octet > 255)
            {
                throw badAddress(field, "'" + text + "' is not an IPv4 address");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static BigInteger[] ipv6Range(final String text, final String field)
    {
        final int dash = text.indexOf('-');
        if (dash > 0)
        {
            final BigInteger low = ipv6(text.substring(0, dash), field);
            final BigInteger high = ipv6(text.substring(dash + 1), field);
            if (low.compareTo(high) > 0)
            {
                throw badAddress(field, "range '" + text + "' runs backwards");
            }
            return new BigInteger[] {low, high};
        }
        final int slash = text.indexOf('/');
        final BigInteger address = ipv6(slash < 0 ? text : text.substring(0, slash), field);
        final int bits = slash < 0 ? 128 : prefix(text.substring(slash + 1), 128, field);
        final BigInteger hostMask = BigInteger.ONE.shiftLeft(128 - bits).subtract(BigInteger.ONE);
        final BigInteger low = address.andNot(hostMask);
        return new BigInteger[] {low, low.or(hostMask)};
    }

    private static BigInteger ipv6(final String text, final String field)
    {
        final InetAddress address;
        try
        {
            address = Inet6Address.ofLiteral(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw badAddress(field, "'" + text + "' is not an IPv6 address");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address)
        {
            final byte[] mapped = new byte[16];
            mapped[10] = (byte)0xFF;
            mapped[11] = (byte)0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        return new BigInteger(1, bytes);
    }

    private static int prefix(final String text, final int max, final String field)
    {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)
            || Integer.parseInt(text) > max)
        {
            throw badAddress(field, "prefix length '/" + text + "' is not 0.." + max);
        }
        return Integer.parseInt(text);
    }

    private static RuleException badAddress(final String field, final String detail)
    {
        return new RuleException(SkipReason.Category.BAD_HEADER, field + " address", detail);
    }

    private static RuleException badPort(final String field, final String detail)
    {
        return new RuleException(SkipReason.Category.BAD_HEADER, field + " port", detail);
    }
}
