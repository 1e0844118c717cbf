package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.util.Arrays;
import java.util.List;

/**
 * Main class of the child JVMs {@link EalFailureTest} starts, one EAL each: prints one line per outcome, starting
 * with {@value #RESULT}, on standard output (DPDK logs to standard error).
 * <ul>
 * <li>{@code init ARGS...}: {@link Eal#init}; prints "OK lcores=N" or "FAILED message".</li>
 * <li>{@code twice ARGS...}: init, close, then init again through {@link Eal} and through raw
 * {@code rte_eal_init}; prints what each second attempt said.</li>
 * <li>{@code available}: {@link Dpdk#ensureAvailability()}; prints "AVAILABLE shim-location", or "UNAVAILABLE"
 * with the message and then one "TRIED" line per suppressed failure, depth first.</li>
 * </ul>
 */
public final class EalChild
{
    static final String RESULT = "RESULT ";

    private EalChild()
    {
    }

    public static void main(final String[] args)
    {
        final List<String> ealArgs = Arrays.asList(args).subList(1, args.length);
        switch (args[0])
        {
            case "init" -> init(ealArgs);
            case "twice" -> twice(ealArgs);
            case "available" -> available();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void init(final List<String> ealArgs)
    {
        try
        {
            final Eal eal = Eal.init(ealArgs);
            System.out.println(RESULT + "OK lcores=" + eal.lcoreCount());
        }
        catch (final DpdkException ex)
        {
            System.out.println(RESULT + "FAILED " + ex.getMessage());
        }
    }

    private static void available()
    {
        try
        {
            Dpdk.ensureAvailability();
            System.out.println(RESULT + "AVAILABLE " + Dpdk.shimLocation());
        }
        catch (final IllegalStateException ex)
        {
            System.out.println(RESULT + "UNAVAILABLE " + ex.getMessage());
            printSuppressed(ex.getCause());
        }
    }

    private static void printSuppressed(final Throwable failure)
    {
        for (final Throwable suppressed : failure.getSuppressed())
        {
            System.out.println(RESULT + "TRIED " + suppressed.getMessage());
            printSuppressed(suppressed);
        }
    }

    private static void twice(final List<String> ealArgs)
    {
        Eal.init(ealArgs).close();
        try
        {
            Eal.init(ealArgs);
            System.out.println(RESULT + "JAVA initialised again");
        }
        catch (final IllegalStateException ex)
        {
            System.out.println(RESULT + "JAVA " + ex.getMessage());
        }
        final int result = opensase_dpdk_h.rte_eal_init(ealArgs.size() + 1, Eal.argv(ealArgs));
        System.out.println(RESULT + "RAW " + result + " errno " + opensase_dpdk_h.opensase_errno());
    }
}
