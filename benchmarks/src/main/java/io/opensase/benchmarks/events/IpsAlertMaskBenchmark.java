package io.opensase.benchmarks.events;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.events.EveRecordQueue;
import io.opensase.core.events.EventsConfig;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsPolicyRef;
import io.opensase.core.ips.IpsSettings;
import io.opensase.core.ips.IpsStage;
import io.opensase.core.ips.QueuedEveSink;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Mbuf;
import org.agrona.concurrent.MessageHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What masking DLP matches in EVE lines costs a worker per alerting packet: as {@link IpsAlertEventBenchmark}'s
 * {@code perPacket} with {@code rule=alert} (a 32-packet burst of one UDP flow, every packet alerting, records
 * queued and the queue emptied after each burst), with and without a DLP profile of every built-in detector
 * and a keyword dictionary (the profile has nothing to scan here but the lines: no HTTP).
 * <ul>
 * <li>{@code payload=short}: {@code attack-0001}, 11 bytes.</li>
 * <li>{@code payload=card}: 1,400 bytes of order text ending with a card number in groups, which the mask
 * rewrites in the payload and the packet of every line.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS,
    BenchmarkJvm.AGRONA_UNSAFE_EXPORT, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class IpsAlertMaskBenchmark
{
    static final int BURST = 32;

    @State(Scope.Thread)
    public static class Worker
    {
        @Param({"off", "on"})
        public String dlp;

        @Param({"short", "card"})
        public String payload;

        final PacketBurst burst = new PacketBurst(BURST);
        final WorkerCounters counters = new WorkerCounters();
        final MessageHandler discard = (type, buffer, index, length) -> { };
        JavaPacketPool pool;
        long[] mbufs;
        ParseStage parse;
        FlowStage flows;
        IpsStage ips;
        IpsPolicy policy;
        EveRecordQueue queue;
        Path folder;

        @Setup(Level.Trial)
        public void build() throws IOException
        {
            folder = Files.createTempDirectory("alert-mask");
            final Path rules = folder.resolve("alert.rules");
            Files.writeString(rules, "alert udp any any -> any any (msg:\"attack seen\"; content:\"attack-\"; "
                + "classtype:attempted-admin; sid:7; rev:2;)\n");
            Path profiles = null;
            if ("on".equals(dlp))
            {
                profiles = folder.resolve("profiles.yaml");
                Files.writeString(profiles, """
                    profiles:
                      - name: all
                        detectors:
                          - {type: payment_card}
                          - {type: card_track1}
                          - {type: card_track2}
                          - {type: iban}
                          - {type: swift_bic}
                          - {type: us_ssn}
                          - {type: uk_nino}
                          - {type: ca_sin}
                          - {type: es_dni}
                          - {type: es_nie}
                          - {type: it_codice_fiscale}
                          - {type: nl_bsn}
                          - {type: pl_pesel}
                          - {type: de_tax_id}
                          - {type: fr_nir}
                          - {type: in_aadhaar}
                          - {type: email}
                          - {type: aws_access_key_id}
                          - {type: aws_secret_access_key}
                          - {type: github_token}
                          - {type: slack_token}
                          - {type: google_api_key}
                          - {type: private_key}
                          - {type: jwt}
                          - {type: keywords, words: [confidential, project falcon, internal only, do not distribute]}
                    """);
            }
            policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false, null,
                SharedData.root().resolve("ids-rules/et-open/classification.config"), profiles));
            queue = new EveRecordQueue(EventsConfig.DEFAULT_RECORD_QUEUE_BYTES);
            parse = new ParseStage(new PacketParser(), LinkType.ETHERNET, counters);
            flows = new FlowStage(new FlowTable(1024, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST));
            ips = new IpsStage(new IpsPolicyRef(policy), flows.table(), 0, LinkType.ETHERNET.number(),
                new QueuedEveSink(queue, EventsConfig.IPS_RECORD_BYTES, EventsConfig.IPS_VALUE_BYTES), false);
            final byte[] packet = udp(payloadBytes(payload));
            pool = new JavaPacketPool(BURST);
            final MbufArray allocated = new MbufArray(BURST);
            if (pool.allocate(allocated, BURST) != BURST)
            {
                throw new IllegalStateException("pool gave fewer buffers than it holds");
            }
            mbufs = allocated.addresses();
            for (int i = 0; i < BURST; i++)
            {
                MemorySegment.copy(MemorySegment.ofArray(packet), 0, PacketMemory.ALL, Mbuf.dataAddress(mbufs[i]),
                    packet.length);
                Mbuf.setLength(mbufs[i], packet.length);
                Mbuf.setWireLength(mbufs[i], packet.length);
                Mbuf.setTimestampNs(mbufs[i], IpsAlertEventBenchmark.T0_NS + i);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            System.out.printf("%n[alert-mask] dlp %s, payload %s: packets %d, alerts %d, queued %d, dropped %d%n",
                dlp, payload, ips.counters().packets(), ips.counters().alerts(), queue.published(), queue.dropped());
            policy.close();
            pool.close();
            try (var files = Files.list(folder))
            {
                for (final Path file : files.toList())
                {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long perPacket(final Worker worker)
    {
        System.arraycopy(worker.mbufs, 0, worker.burst.mbufs().addresses(), 0, BURST);
        worker.burst.loadCaptured(BURST);
        worker.parse.process(worker.burst);
        worker.flows.process(worker.burst);
        worker.ips.process(worker.burst);
        while (worker.queue.drain(worker.discard, BURST) > 0)
        {
            // Emptied after each burst, as the writer thread would.
        }
        return worker.queue.published();
    }

    static byte[] payloadBytes(final String kind)
    {
        if ("short".equals(kind))
        {
            return "attack-0001".getBytes(StandardCharsets.US_ASCII);
        }
        final StringBuilder text = new StringBuilder("attack- order ");
        final String tail = " card 4111 1111 1111 1111\n";
        while (text.length() + tail.length() < 1400)
        {
            text.append("item 12 qty 3 price 19.99 sku AB-1234 ");
        }
        text.setLength(1400 - tail.length());
        return text.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Ethernet, IPv4 10.0.0.1 -> 192.0.2.1 with its header checksum, UDP 4000 -> 9000 (no checksum), payload. */
    static byte[] udp(final byte[] payload)
    {
        final byte[] p = new byte[14 + 20 + 8 + payload.length];
        final int ipLength = 20 + 8 + payload.length;
        final int udpLength = 8 + payload.length;
        final byte[] head = {
            2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
            0x45, 0, (byte)(ipLength >>> 8), (byte)ipLength, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, (byte)192, 0, 2, 1,
            0x0F, (byte)0xA0, 0x23, 0x28, (byte)(udpLength >>> 8), (byte)udpLength, 0, 0};
        System.arraycopy(head, 0, p, 0, head.length);
        System.arraycopy(payload, 0, p, head.length, payload.length);
        int sum = 0;
        for (int i = 14; i < 34; i += 2)
        {
            sum += (p[i] & 0xFF) << 8 | p[i + 1] & 0xFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~((sum & 0xFFFF) + (sum >>> 16)) & 0xFFFF;
        p[24] = (byte)(sum >>> 8);
        p[25] = (byte)sum;
        return p;
    }
}
