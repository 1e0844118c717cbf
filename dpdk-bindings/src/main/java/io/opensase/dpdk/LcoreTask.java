package io.opensase.dpdk;

/** Work that {@link Lcore#launch} runs on a DPDK worker lcore; called once, on that lcore's thread. */
@FunctionalInterface
public interface LcoreTask
{
    /**
     * Runs on worker lcore {@code lcoreId}, usually as a poll loop until told to stop.
     *
     * @return what {@link Lcore#await} returns.
     * @throws Exception caught on the lcore and rethrown by {@link Lcore#await} (an exception must not reach
     *                   DPDK's thread: it would end the JVM).
     */
    int run(int lcoreId) throws Exception;
}
