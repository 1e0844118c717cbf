package io.opensase.ips.match;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Builds {@link Prefilter}s and decides which engine runs. Off the packet path. */
public final class Prefilters
{
    private Prefilters()
    {
    }

    /**
     * Compiles {@code groups} (group {@code g} is searched by {@code scan(g, ...)}) with the engine
     * {@code requested} asks for. {@link PrefilterEngine#AUTO} takes Hyperscan when {@link HyperscanLibrary#system()}
     * loads, else the Java engine, and then says why in {@link Prefilter#description()}. An explicit
     * {@link PrefilterEngine#HYPERSCAN} that cannot load is an error, never a quiet switch to Java.
     *
     * @param singleMatch report each literal at most once per scan (what a candidate search needs) rather
     *                    than at every end offset.
     * @throws HyperscanLibrary.Unavailable when Hyperscan was asked for and cannot run.
     * @throws IllegalArgumentException     when two literals share an id.
     */
    public static Prefilter compile(
        final List<List<Literal>> groups,
        final PrefilterEngine requested,
        final boolean singleMatch)
    {
        return compile(groups, requested, singleMatch, HyperscanLibrary::system);
    }

    /** As {@link #compile(List, PrefilterEngine, boolean)}, with Hyperscan loaded by {@code hyperscan}. */
    static Prefilter compile(
        final List<List<Literal>> groups,
        final PrefilterEngine requested,
        final boolean singleMatch,
        final Supplier<HyperscanLibrary> hyperscan)
    {
        checkIds(groups);
        return switch (requested)
        {
            case JAVA -> JavaPrefilter.compile(groups, singleMatch, null, JavaPrefilter.Algorithm.fromSystemProperty());
            case HYPERSCAN -> HyperscanPrefilter.compile(hyperscan.get(), groups, singleMatch);
            case AUTO ->
            {
                HyperscanLibrary library = null;
                String reason = null;
                try
                {
                    library = hyperscan.get();
                }
                catch (final HyperscanLibrary.Unavailable ex)
                {
                    reason = "hyperscan not used: " + ex.getMessage();
                }
                yield null == library
                    ? JavaPrefilter.compile(groups, singleMatch, reason, JavaPrefilter.Algorithm.fromSystemProperty())
                    : HyperscanPrefilter.compile(library, groups, singleMatch);
            }
        };
    }

    /** Compiles with Hyperscan from {@code library}, whatever {@link HyperscanLibrary#system()} says. */
    public static Prefilter compileHyperscan(
        final HyperscanLibrary library,
        final List<List<Literal>> groups,
        final boolean singleMatch)
    {
        checkIds(groups);
        return HyperscanPrefilter.compile(library, groups, singleMatch);
    }

    private static void checkIds(final List<List<Literal>> groups)
    {
        for (final List<Literal> group : groups)
        {
            final Set<Integer> ids = new HashSet<>();
            for (final Literal literal : group)
            {
                if (!ids.add(literal.id()))
                {
                    throw new IllegalArgumentException("literal id " + literal.id() + " used twice in a group");
                }
            }
        }
    }
}
