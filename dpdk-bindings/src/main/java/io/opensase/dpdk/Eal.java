package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DPDK Environment Abstraction Layer of this process; owned by the thread that initialised it, which EAL
 * makes the main lcore.
 * <p>
 * <b>EAL initialises once per process.</b> A second {@code rte_eal_init} fails with EALREADY, even after
 * {@code rte_eal_cleanup}, so {@link #init} succeeds once per JVM and {@link #close()} is final: the JVM cannot
 * use DPDK again afterwards. Programs (and tests) that need other devices add and remove them at run time with
 * {@link HotplugDevice}; ones that need other EAL options run in another JVM.
 * <p>
 * {@code rte_eal_init} pins the calling thread to the main lcore's CPU, and the threads it starts afterwards inherit
 * that mask: call {@link #init} from a thread whose later children may all share that CPU (the control thread),
 * and poll on worker lcores ({@link Lcore#launch}) or registered threads ({@link Lcore#attachCurrentThread}).
 * <p>
 * After EAL is up, the two project fields of {@link Mbuf} ({@link Mbuf#TIMESTAMP_NS}, {@link Mbuf#WIRE_LEN}) are
 * registered as mbuf dynamic fields at their fixed offsets, so that no library or driver takes those bytes. Drivers
 * may register fields of their own when they probe a device, first fit from the start of {@code dynfield1}
 * (net_pcap's receive timestamp would land on offset 96), so {@link #init} passes every {@code --vdev} option to
 * {@code rte_dev_probe} after the registration, in the order given, instead of to {@code rte_eal_init}: the
 * devices and their port ids come out the same. Devices on buses EAL probes itself (PCI) are probed inside
 * {@code rte_eal_init}; a driver that takes those bytes there makes {@link #init} fail and say so.
 */
public final class Eal implements AutoCloseable
{
    /** Name of the mbuf dynamic field at {@link Mbuf#TIMESTAMP_NS}. */
    public static final String TIMESTAMP_DYNFIELD = "opensase_dynfield_timestamp_ns";
    /** Name of the mbuf dynamic field at {@link Mbuf#WIRE_LEN}. */
    public static final String WIRE_LEN_DYNFIELD = "opensase_dynfield_wire_len";

    private static final String PROGRAM_NAME = "opensase";
    private static final String VDEV_OPTION = "--vdev";
    private static final Object LOCK = new Object();
    private static Eal current;
    private static List<String> cleanedUpArgs;

    private final List<String> args;
    private boolean closed;

    private Eal(final List<String> args)
    {
        this.args = List.copyOf(args);
    }

    /** {@link #init(List)} with the arguments as an array. */
    public static Eal init(final String... args)
    {
        return init(List.of(args));
    }

    /**
     * Initialises EAL with the given options (as on a DPDK program's command line, without the program name),
     * for example {@code --in-memory --no-pci -l 0-1 --vdev=net_null0}.
     *
     * @throws DpdkException when {@code rte_eal_init} fails, quoting DPDK's reason and saying what to do.
     * @throws IllegalStateException when EAL was already initialised in this process, or DPDK is not available.
     */
    public static Eal init(final List<String> args)
    {
        Dpdk.ensureAvailability();
        synchronized (LOCK)
        {
            if (null != current)
            {
                throw new IllegalStateException("EAL is already initialised in this process with " + current.args +
                    ": it initialises once per process, so use Eal.current() and add devices with HotplugDevice, " +
                    "or run with other options in another JVM");
            }
            if (null != cleanedUpArgs)
            {
                throw new IllegalStateException("EAL was initialised with " + cleanedUpArgs + " and cleaned up: " +
                    "DPDK cannot initialise it again in this process (rte_eal_init returns EALREADY); start " +
                    "another JVM");
            }

            final int teeResult = opensase_dpdk_h.opensase_log_tee_install();
            if (teeResult < 0)
            {
                throw new IllegalStateException("cannot install the DPDK log tee: errno " + -teeResult);
            }
            final List<String> ealArgs = new ArrayList<>();
            final List<String> vdevs = new ArrayList<>();
            splitVdevs(args, ealArgs, vdevs);
            final long logPosition = Dpdk.logPosition();
            final int parsed = opensase_dpdk_h.rte_eal_init(ealArgs.size() + 1, argv(ealArgs));
            if (parsed < 0)
            {
                final int errno = opensase_dpdk_h.opensase_errno();
                final String said = Dpdk.logSince(logPosition);
                throw new DpdkException("rte_eal_init(" + ealArgs + ")", errno, Dpdk.strerror(errno), said,
                    EalFailures.fix(errno, said));
            }
            current = new Eal(args);
            registerDynfield(TIMESTAMP_DYNFIELD, Long.BYTES, Mbuf.TIMESTAMP_NS);
            registerDynfield(WIRE_LEN_DYNFIELD, Integer.BYTES, Mbuf.WIRE_LEN);
            for (final String vdev : vdevs)
            {
                HotplugDevice.probeDevice(vdev, Dpdk.logPosition(), "EAL is up without this " + VDEV_OPTION +
                    " device: fix its devargs (driver name, then key=value arguments; for net_pcap, rx_pcap= must " +
                    "name a readable capture) and add it with HotplugDevice.probe, or restart the JVM with the " +
                    "corrected option");
            }
            return current;
        }
    }

    /** Whether EAL is initialised (and not cleaned up) in this process. */
    public static boolean isInitialised()
    {
        synchronized (LOCK)
        {
            return null != current;
        }
    }

    /**
     * The initialised EAL.
     *
     * @throws IllegalStateException when {@link #init} has not succeeded in this process.
     */
    public static Eal current()
    {
        synchronized (LOCK)
        {
            if (null == current)
            {
                throw new IllegalStateException("EAL is not initialised: call Eal.init(...) first" +
                    (null == cleanedUpArgs ? "" : " (it was cleaned up and cannot be initialised again)"));
            }
            return current;
        }
    }

    /** The options EAL was initialised with. */
    public List<String> args()
    {
        return args;
    }

    /** The main lcore: the one the initialising thread runs as. */
    public int mainLcore()
    {
        return opensase_dpdk_h.rte_get_main_lcore();
    }

    /** How many lcores EAL runs (main and workers). */
    public int lcoreCount()
    {
        return opensase_dpdk_h.rte_lcore_count();
    }

    /** The worker lcores, in id order: where {@link Lcore#launch} runs tasks. */
    public int[] workerLcores()
    {
        final List<Integer> workers = new ArrayList<>();
        for (int lcore = opensase_dpdk_h.rte_get_next_lcore(-1, 1, 0); lcore < opensase_dpdk_h.RTE_MAX_LCORE;
            lcore = opensase_dpdk_h.rte_get_next_lcore(lcore, 1, 0))
        {
            workers.add(lcore);
        }
        return workers.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@code rte_eal_cleanup}: releases EAL's memory and threads. Close ports, pools and rings first. Final for
     * this process: EAL cannot be initialised again.
     */
    @Override
    public void close()
    {
        synchronized (LOCK)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            current = null;
            cleanedUpArgs = args;
            final long logPosition = Dpdk.logPosition();
            final int result = opensase_dpdk_h.rte_eal_cleanup();
            if (result < 0)
            {
                throw Dpdk.failure("rte_eal_cleanup()", -result, logPosition, "see DPDK's log above");
            }
        }
    }

    /** A NULL-terminated {@code char *argv[]}: the program name, then {@code args}. */
    static MemorySegment argv(final List<String> args)
    {
        // EAL may keep pointers into argv, and initialises once per process: the global arena costs a few bytes.
        final Arena arena = Arena.global();
        final MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, args.size() + 2L);
        argv.setAtIndex(ValueLayout.ADDRESS, 0, arena.allocateFrom(PROGRAM_NAME));
        for (int i = 0; i < args.size(); i++)
        {
            argv.setAtIndex(ValueLayout.ADDRESS, i + 1L, arena.allocateFrom(args.get(i)));
        }
        argv.setAtIndex(ValueLayout.ADDRESS, args.size() + 1L, MemorySegment.NULL);
        return argv;
    }

    /** Moves the devargs of {@code --vdev=X} and {@code --vdev X} to {@code vdevs}, the rest to {@code ealArgs}. */
    private static void splitVdevs(final List<String> args, final List<String> ealArgs, final List<String> vdevs)
    {
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.startsWith(VDEV_OPTION + "="))
            {
                vdevs.add(arg.substring(VDEV_OPTION.length() + 1));
            }
            else if (arg.equals(VDEV_OPTION) && i + 1 < args.size())
            {
                vdevs.add(args.get(++i));
            }
            else if (arg.equals("--"))
            {
                ealArgs.addAll(args.subList(i, args.size()));
                return;
            }
            else
            {
                ealArgs.add(arg);
            }
        }
    }

    private static void registerDynfield(final String name, final int size, final int offset)
    {
        final long logPosition = Dpdk.logPosition();
        try (Arena arena = Arena.ofConfined())
        {
            final int result = opensase_dpdk_h.opensase_dynfield_register(arena.allocateFrom(name), size, size,
                offset);
            if (result != offset)
            {
                throw Dpdk.failure("rte_mbuf_dynfield_register_offset(" + name + ", size " + size + ", offset " +
                    offset + ")", -result, logPosition, "another library or driver holds those bytes of the mbuf " +
                    "(EBUSY) or registered the name with other parameters (EEXIST): the project's fields must " +
                    "be registered first, which Eal.init does right after rte_eal_init");
            }
        }
    }

    /** What to do about a failed {@code rte_eal_init}, from its errno and what it logged. */
    static final class EalFailures
    {
        private EalFailures()
        {
        }

        static String fix(final int errno, final String said)
        {
            final int uid = opensase_dpdk_h.geteuid();
            if (said.contains("Cannot create lock") || said.contains("another primary process"))
            {
                return "another DPDK process uses the same --file-prefix: give each process its own " +
                    "--file-prefix (or use --in-memory); if that process crashed, remove /var/run/dpdk/<prefix> " +
                    "and /dev/hugepages/<prefix>map_*";
            }
            if (0 != uid && (Errno.EACCES == errno || Errno.EPERM == errno || said.contains("Permission denied")))
            {
                return "this process runs as uid " + Integer.toUnsignedString(uid) + ", not root, and cannot " +
                    "open hugepage files: run it as root, or add --in-memory (no hugepage files, IOVA as VA), " +
                    "or give the user write access to the hugetlbfs mount plus CAP_IPC_LOCK";
            }
            if (said.contains("hugepage") && (Errno.EACCES == errno || said.contains("Cannot get hugepage")))
            {
                return "EAL found no usable hugepages (" + hugepages() + "): reserve them (echo 512 > " +
                    "/proc/sys/vm/nr_hugepages) and either use --in-memory or mount hugetlbfs (mkdir -p " +
                    "/dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages) and point --huge-dir at the " +
                    "mount; functional tests can instead run with --no-huge -m 256 and a unique --file-prefix";
            }
            if (Errno.ENOMEM == errno)
            {
                return "EAL could not get the memory it needs from free hugepages (" + hugepages() + "): ask for " +
                    "less (-m / --socket-mem), reserve more (echo N > /proc/sys/vm/nr_hugepages), or remove the " +
                    "hugepage files crashed runs left (/dev/hugepages/*map_*, /var/run/dpdk/<prefix>)";
            }
            if (Errno.EALREADY == errno)
            {
                return "EAL initialises once per process, even after rte_eal_cleanup: run in another JVM";
            }
            if (Errno.EINVAL == errno)
            {
                return "an EAL option is invalid: check the options against DPDK's EAL parameters " +
                    "(dpdk-testpmd --help lists them)";
            }
            return "see DPDK's log above";
        }

        /** HugePages_Total and HugePages_Free from /proc/meminfo, for messages. */
        static String hugepages()
        {
            try
            {
                final List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
                final List<String> huge = lines.stream()
                    .filter(line -> line.startsWith("HugePages_Total") || line.startsWith("HugePages_Free") ||
                        line.startsWith("Hugepagesize"))
                    .map(line -> line.replaceAll("\\s+", " "))
                    .toList();
                return String.join(", ", huge);
            }
            catch (final IOException ex)
            {
                return "cannot read /proc/meminfo: " + ex.getMessage();
            }
        }
    }
}
