package io.opensase.ips.dlp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds engines from YAML text and collects findings as strings. */
final class DlpTesting
{
    private DlpTesting()
    {
    }

    static DlpEngine engine(final Path folder, final String yaml)
    {
        try
        {
            final Path file = folder.resolve("profiles-" + System.nanoTime() + ".yaml");
            Files.writeString(file, yaml);
            return DlpEngine.compile(DlpPolicy.load(file));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final DlpProfileException ex)
        {
            throw new AssertionError(ex.getMessage(), ex);
        }
    }

    /** A one-profile engine with one detector of each given type. */
    static DlpEngine detectors(final Path folder, final DetectorType... types)
    {
        final StringBuilder yaml = new StringBuilder("profiles:\n  - name: test\n    detectors:\n");
        for (final DetectorType type : types)
        {
            yaml.append("      - type: ").append(type.yamlName()).append('\n');
        }
        return engine(folder, yaml.toString());
    }

    /** Records every finding's string form and masked sample. */
    static final class Findings implements DlpSink
    {
        final List<String> all = new ArrayList<>();
        final List<DetectorType> types = new ArrayList<>();
        final List<String> samples = new ArrayList<>();

        @Override
        public void onFinding(final int flow, final DlpFinding finding)
        {
            all.add(finding.toString());
            types.add(finding.type());
            samples.add(finding.maskedSample().toString());
        }

        boolean has(final DetectorType type)
        {
            return types.contains(type);
        }
    }

    /** Scans {@code text} as one message, in one call. */
    static Findings scan(final DlpScanner scanner, final String text)
    {
        final Findings findings = new Findings();
        final int flow = scanner.openFlow();
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        scanner.scan(flow, MemorySegment.ofArray(bytes), 0, bytes.length, findings);
        scanner.endMessage(flow, findings);
        scanner.closeFlow(flow);
        return findings;
    }

    /** Scans {@code text} as one message split in two calls at {@code at}. */
    static Findings scanSplit(final DlpScanner scanner, final String text, final int at)
    {
        final Findings findings = new Findings();
        final int flow = scanner.openFlow();
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        scanner.scan(flow, bytes, 0, at, findings);
        scanner.scan(flow, MemorySegment.ofArray(bytes), at, bytes.length - at, findings);
        scanner.endMessage(flow, findings);
        scanner.closeFlow(flow);
        return findings;
    }

    /** Scans a form-urlencoded body, split in two calls at {@code at}. */
    static Findings scanForm(final DlpScanner scanner, final String body, final int at)
    {
        final Findings findings = new Findings();
        final int flow = scanner.openFlow();
        final MemorySegment bytes = MemorySegment.ofArray(body.getBytes(StandardCharsets.US_ASCII));
        scanner.scanFormUrlEncoded(flow, bytes, 0, at, findings);
        scanner.scanFormUrlEncoded(flow, bytes, at, body.length() - at, findings);
        scanner.endMessage(flow, findings);
        scanner.closeFlow(flow);
        return findings;
    }

    static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
