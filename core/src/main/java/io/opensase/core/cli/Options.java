package io.opensase.core.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command options of the form {@code --name value}, and flags of the form {@code --name}, checked against
 * the ones a command takes.
 */
final class Options
{
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();

    Options(final List<String> args, final Set<String> allowed) throws UsageException
    {
        this(args, allowed, Set.of());
    }

    Options(final List<String> args, final Set<String> allowed, final Set<String> flags) throws UsageException
    {
        this(args, allowed, flags, Set.of());
    }

    /** @param repeatable options that may be given more than once; read them with {@link #all}. */
    Options(final List<String> args, final Set<String> allowed, final Set<String> flags,
        final Set<String> repeatable) throws UsageException
    {
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            final String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (flags.contains(name))
            {
                if (values.put(name, "true") != null)
                {
                    throw new UsageException(arg + " given twice");
                }
                continue;
            }
            if (!allowed.contains(name))
            {
                final java.util.TreeSet<String> all = new java.util.TreeSet<>(allowed);
                all.addAll(flags);
                throw new UsageException("unknown option '" + arg + "'; allowed: --" + String.join(", --", all));
            }
            if (i + 1 == args.size())
            {
                throw new UsageException(arg + " needs a value");
            }
            repeated.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(args.get(i + 1));
            if (values.put(name, args.get(++i)) != null && !repeatable.contains(name))
            {
                throw new UsageException(arg + " given twice");
            }
        }
    }

    String get(final String name)
    {
        return values.get(name);
    }

    /** Every value of an option, in the order given; empty when it was not given. */
    List<String> all(final String name)
    {
        return repeated.getOrDefault(name, List.of());
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }

    int integer(final String name, final int min, final int max) throws UsageException
    {
        final String text = values.get(name);
        try
        {
            final int value = Integer.parseInt(text);
            if (value < min || value > max)
            {
                throw new UsageException("--" + name + " must be " + min + ".." + max + ", got " + text);
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("--" + name + " must be an integer " + min + ".." + max + ", got '" + text + "'");
        }
    }
}
