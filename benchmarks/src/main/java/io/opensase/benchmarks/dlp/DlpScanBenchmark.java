package io.opensase.benchmarks.dlp;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.ips.dlp.DlpEngine;
import io.opensase.ips.dlp.DlpFinding;
import io.opensase.ips.dlp.DlpPolicy;
import io.opensase.ips.dlp.DlpProfileException;
import io.opensase.ips.dlp.DlpScanner;
import io.opensase.ips.dlp.DlpSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds for one DLP scanner to scan one 16 KiB message body, handed over in 1,460-byte pieces (one TCP
 * segment's payload each) from native memory, on one core. Gbps = 16,384 x 8 / ns.
 *
 * <p>{@code clean}: prose (the shared data's SOURCES.md, repeated), in which the policy finds nothing or
 * nearly nothing. {@code laden}: the same prose with a value from the shared DLP lists (published test card
 * numbers, SWIFT registry IBANs, the valid specimen national IDs) or a secret or a keyword spliced in at a
 * word boundary about every 200 bytes, so that about 80 values are found per body. The policy has every
 * built-in detector, a keyword dictionary and, with {@code edm=table}, an exact-data-match table (in memory)
 * over the same card numbers and IBANs. Owned by the JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX,
    BenchmarkJvm.CHRONICLE_OPEN_LANG, BenchmarkJvm.CHRONICLE_OPEN_REFLECT,
    BenchmarkJvm.CHRONICLE_OPEN_IO, BenchmarkJvm.CHRONICLE_OPEN_NIO, BenchmarkJvm.CHRONICLE_OPEN_NIO_CH,
    BenchmarkJvm.CHRONICLE_OPEN_MISC, BenchmarkJvm.CHRONICLE_OPEN_UTIL,
    BenchmarkJvm.CHRONICLE_EXPORT_REF, BenchmarkJvm.CHRONICLE_EXPORT_NIO_CH,
    BenchmarkJvm.CHRONICLE_EXPORT_UTIL, BenchmarkJvm.CHRONICLE_EXPORT_SUN_MISC,
    BenchmarkJvm.CHRONICLE_EXPORT_JAVAC_FILE, BenchmarkJvm.CHRONICLE_OPEN_JAVAC})
public class DlpScanBenchmark
{
    public static final int BODY = 16_384;
    public static final int SEGMENT = 1_460;
    private static final int BODIES = 8;
    private static final int SPACING = 200;

    /** {@code clean} prose, or {@code laden} with a sensitive value about every 200 bytes. */
    @Param({"clean", "laden"})
    public String body;

    /** {@code none}, or {@code table}: an in-memory EDM table of digits and alnum values. */
    @Param({"none", "table"})
    public String edm;

    private Arena arena;
    private Path folder;
    private DlpEngine engine;
    private DlpScanner scanner;
    private MemorySegment[] bodies;
    private int flow;
    private int next;
    private final Counter sink = new Counter();

    /** Counts findings, so that reporting them is not dead code. */
    static final class Counter implements DlpSink
    {
        long findings;

        @Override
        public void onFinding(final int flow, final DlpFinding finding)
        {
            findings += finding.count();
        }
    }

    @Setup
    public void setup() throws IOException, DlpProfileException
    {
        final Path data = SharedData.root();
        final List<String> values = values(data);
        folder = Files.createTempDirectory("dlp-bench");
        final StringBuilder csv = new StringBuilder("card,iban\n");
        for (int i = 0; i < values.size(); i++)
        {
            csv.append(values.get(i).matches("\\d{13,19}") ? values.get(i) : "").append(',')
                .append(values.get(i).matches("[A-Z]{2}\\d{2}[A-Z0-9]+") ? values.get(i) : "").append('\n');
        }
        Files.writeString(folder.resolve("edm.csv"), csv);
        Files.writeString(folder.resolve("edm.key"), "benchmark-secret-0123456789abcdef");
        final StringBuilder yaml = new StringBuilder("""
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
        if ("table".equals(edm))
        {
            yaml.append("      - {type: edm, csv: edm.csv, secret_file: edm.key,"
                + " columns: {card: digits, iban: alnum}}\n");
        }
        final Path profile = folder.resolve("profiles.yaml");
        Files.writeString(profile, yaml);
        engine = DlpEngine.compile(DlpPolicy.load(profile));
        scanner = engine.newScanner();
        flow = scanner.openFlow();

        final String prose = Files.readString(data.resolve("SOURCES.md"), StandardCharsets.UTF_8)
            .replaceAll("[^\\x20-\\x7e\\n]", " ");
        arena = Arena.ofShared();
        bodies = new MemorySegment[BODIES];
        int from = 0;
        int value = 0;
        for (int b = 0; b < BODIES; b++)
        {
            final StringBuilder text = new StringBuilder(BODY + 64);
            int sinceValue = 0;
            while (text.length() < BODY)
            {
                final char c = prose.charAt(from++ % prose.length());
                text.append(c);
                if ("laden".equals(body) && c == ' ' && ++sinceValue > 0 && text.length() % SPACING < 8)
                {
                    text.append(values.get(value++ % values.size())).append(' ');
                }
            }
            text.setLength(BODY);
            bodies[b] = arena.allocateFrom(text.toString(), StandardCharsets.US_ASCII).asSlice(0, BODY);
        }
    }

    /** Every valid value of the shared card, IBAN and national-ID lists, then a few secrets and keywords. */
    static List<String> values(final Path data) throws IOException
    {
        final List<String> values = new ArrayList<>();
        for (final String line : lines(data.resolve("dlp/cards/published-test-card-numbers.csv")))
        {
            final String[] f = line.split(",");
            if ("true".equals(f[3]) && !"unknown".equals(f[1]))
            {
                values.add(f[0]);
            }
        }
        for (final String line : lines(data.resolve("dlp/iban/iban-registry-examples.csv")))
        {
            values.add(line.split(",")[2]);
        }
        for (final String line : lines(data.resolve("dlp/national-ids/specimen-national-ids.csv")))
        {
            final String[] f = line.split(",");
            if ("true".equals(f[3]))
            {
                values.add(f[2]);
            }
        }
        values.add("AKIAIOSFODNN7EXAMPLE");
        values.add("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        values.add("-----BEGIN RSA PRIVATE KEY-----");
        values.add("CONFIDENTIAL");
        return values;
    }

    private static List<String> lines(final Path csv) throws IOException
    {
        final List<String> lines = new ArrayList<>(Files.readAllLines(csv, StandardCharsets.UTF_8));
        lines.remove(0);
        lines.removeIf(String::isBlank);
        return lines;
    }

    @TearDown
    public void tearDown() throws IOException
    {
        engine.close();
        arena.close();
        try (var files = Files.list(folder))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }

    /** Scans the next body as one message, a TCP segment's payload per call. */
    @Benchmark
    public long scanBody()
    {
        final MemorySegment data = bodies[next++ & (BODIES - 1)];
        for (int at = 0; at < BODY; at += SEGMENT)
        {
            scanner.scan(flow, data, at, Math.min(SEGMENT, BODY - at), sink);
        }
        scanner.endMessage(flow, sink);
        return sink.findings;
    }

    /**
     * For the record: matches and findings over one pass of the bodies, and the scanner's CPU time per byte
     * (the thread's own CPU time, which a busy shared machine disturbs less than wall time), warm.
     */
    public static void main(final String[] args) throws IOException, DlpProfileException
    {
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (final String kind : new String[] {"clean", "laden"})
        {
            for (final String table : new String[] {"none", "table"})
            {
                final DlpScanBenchmark bench = new DlpScanBenchmark();
                bench.body = kind;
                bench.edm = table;
                bench.setup();
                for (int b = 0; b < BODIES; b++)
                {
                    bench.scanBody();
                }
                final long matches = bench.scanner.matches();
                final long findings = bench.sink.findings;
                for (int b = 0; b < 20_000; b++)
                {
                    bench.scanBody();
                }
                final int bodies = 20_000;
                final long start = threads.getCurrentThreadCpuTime();
                for (int b = 0; b < bodies; b++)
                {
                    bench.scanBody();
                }
                final double nsPerByte = (threads.getCurrentThreadCpuTime() - start) / (double)bodies / BODY;
                System.out.printf("%s, edm %s: %d matches, %d findings in %d bodies of %d bytes; "
                    + "%.2f ns CPU per byte, %.2f Gbps per core%n", kind, table, matches, findings, BODIES, BODY,
                    nsPerByte, 8 / nsPerByte);
                bench.tearDown();
            }
        }
    }
}
