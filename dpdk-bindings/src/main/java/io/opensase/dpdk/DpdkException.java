package io.opensase.dpdk;

/**
 * A DPDK control call failed: carries the operation, the errno DPDK returned, what DPDK logged about it, and
 * what to do. Thrown only by cold (control path) wrappers; bursts return counts instead. Immutable.
 */
public final class DpdkException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    DpdkException(final String operation, final int errno, final String strerror, final String dpdkSaid,
        final String fix)
    {
        super(operation + " failed: " + strerror + (0 == errno ? "" : " (errno " + errno + ")") +
            (dpdkSaid.isEmpty() ? "" : "; DPDK said: " + dpdkSaid.replaceAll("\\.+$", "")) + ". To fix: " + fix);
        this.operation = operation;
        this.errno = errno;
    }

    /** The call that failed, with its arguments. */
    public String operation()
    {
        return operation;
    }

    /** The positive errno value (DPDK control calls return it negated); 0 when DPDK gave none. */
    public int errno()
    {
        return errno;
    }
}
