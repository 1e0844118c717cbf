package io.opensase.ips.match;

/** For {@link HyperscanShimTest}'s child JVMs: prints how the system's Hyperscan takes its matches. */
public final class HyperscanShimProbe
{
    private HyperscanShimProbe()
    {
    }

    public static void main(final String[] args)
    {
        System.out.println(HyperscanLibrary.system().matchPath());
    }
}
