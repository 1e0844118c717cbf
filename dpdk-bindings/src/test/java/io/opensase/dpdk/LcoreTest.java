package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java work on DPDK lcores: remote launch through an upcall, failures carried back, registered Java threads. */
@RequiresDpdk
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LcoreTest
{
    private static final int BURST = 32;
    private static final int BURSTS = 1000;

    private static int worker;

    @BeforeAll
    static void initialiseEal()
    {
        worker = DpdkTestSupport.eal().workerLcores()[0];
    }

    @Test
    void shouldRunAJavaPollLoopOnAWorkerLcore()
    {
        final AtomicInteger lcoreSeen = new AtomicInteger(-2);
        final AtomicInteger cpuSeen = new AtomicInteger(-2);
        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("lcore_"), 2048, 64,
                Mempool.DEFAULT_FRAME_CAPACITY);
            HotplugDevice device = HotplugDevice.probe(DpdkTestSupport.uniqueName("net_null"));
            EthPort port = device.openPort())
        {
            port.configure(1, 1, 0);
            port.setupRxQueue(0, 512, pool);
            port.setupTxQueue(0, 512);
            port.start();

            Lcore.launch(worker, lcore ->
            {
                lcoreSeen.set(Lcore.id());
                cpuSeen.set(Lcore.currentCpu());
                return poll(port);
            });
            final int received = Lcore.await(worker);

            assertEquals(worker, lcoreSeen.get(), "rte_lcore_id() inside the task");
            assertEquals(worker, cpuSeen.get(), "EAL pins lcore N to CPU N with -l 0-1");
            assertEquals(BURST * BURSTS, received);
            assertEquals(received, port.stats().rxPackets());
            assertEquals(0, pool.inUseCount(), "the loop freed every mbuf");
        }
    }

    @Test
    void shouldRethrowWhatTheTaskThrewAndKeepTheLcoreUsable()
    {
        Lcore.launch(worker, lcore ->
        {
            throw new IllegalStateException("thrown on lcore " + lcore);
        });
        final CompletionException failure = assertThrows(CompletionException.class, () -> Lcore.await(worker));
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals("thrown on lcore " + worker, failure.getCause().getMessage());

        Lcore.launch(worker, lcore ->
        {
            throw new AssertionError("an Error is caught too");
        });
        assertInstanceOf(AssertionError.class, assertThrows(CompletionException.class, () -> Lcore.await(worker))
            .getCause());

        Lcore.launch(worker, lcore -> 7);
        assertEquals(7, Lcore.await(worker), "the JVM and the lcore survived");
    }

    @Test
    void shouldRefuseLcoresThatAreNotWorkers()
    {
        final Eal eal = DpdkTestSupport.eal();

        final IllegalArgumentException main = assertThrows(IllegalArgumentException.class,
            () -> Lcore.launch(eal.mainLcore(), lcore -> 0));
        assertTrue(main.getMessage().contains("is not a worker lcore"), main.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lcore.launch(opensase_dpdk_h.RTE_MAX_LCORE - 1, lcore -> 0));
        assertThrows(IllegalStateException.class, () -> Lcore.await(worker), "nothing to await");
    }

    @Test
    void shouldRegisterAPinnedJavaThreadAsAnLcore() throws InterruptedException
    {
        final int cpu = worker;
        final int[] seen = new int[4];
        final Thread thread = Thread.ofPlatform().name("registered-poller").start(() ->
        {
            seen[0] = Lcore.id();
            seen[1] = Lcore.attachCurrentThread(cpu);
            seen[2] = Lcore.currentCpu();
            Lcore.detachCurrentThread();
            seen[3] = Lcore.id();
        });
        thread.join();

        assertEquals(Lcore.ANY, seen[0], "a new Java thread has no lcore");
        assertTrue(seen[1] >= 2 && seen[1] < opensase_dpdk_h.RTE_MAX_LCORE, "a free lcore id beyond EAL's: " +
            seen[1]);
        assertEquals(cpu, seen[2], "pinned");
        assertEquals(Lcore.ANY, seen[3], "unregistered");
    }

    /** BURSTS rx bursts on queue 0, freeing what came; returns how many packets came. */
    private static int poll(final EthPort port)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mbufs = DpdkTestSupport.pointers(arena, BURST);
            int received = 0;
            for (int i = 0; i < BURSTS; i++)
            {
                final int count = port.rxBurst(0, mbufs, BURST);
                Mempool.freeBulk(mbufs, count);
                received += count;
            }
            return received;
        }
    }
}
