package io.opensase.core.control;

import io.opensase.core.ips.IpsSettings;
import io.opensase.ips.rules.RuleSetLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What compiling an IPS configuration reads, so that a reload can tell the IPS part has not changed and keep
 * the compiled rules it runs (a compile of ET Open is over a second of CPU and a second matcher in memory):
 * the settings, and the bytes of the rule files named, of every regular file in each rule folder named (its
 * rule files, classification file and dataset files), of the classification file beside a named rule file,
 * and of the classification and DLP files named outright. A file read from elsewhere (a dataset file beside a
 * rule file named on its own, or in another folder) is not covered. Control threads.
 *
 * @param settings the IPS section, with its paths.
 * @param digest   SHA-256 over the files' names and bytes, in a fixed order.
 */
public record IpsInputs(IpsSettings settings, String digest)
{
    /** The largest file read whole into the digest; a larger one is represented by its size and time. */
    private static final long MAX_DIGESTED_BYTES = 256L << 20;

    /** Reads what {@code settings} compile from; a file that cannot be read gives null (compile again). */
    public static IpsInputs of(final IpsSettings settings)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (final Path file : files(settings))
            {
                sha.update(file.toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte)0);
                final long size = Files.size(file);
                if (size > MAX_DIGESTED_BYTES)
                {
                    sha.update((size + "/" + Files.getLastModifiedTime(file)).getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                try (InputStream in = Files.newInputStream(file))
                {
                    final byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer))
                    {
                        sha.update(buffer, 0, n);
                    }
                }
                sha.update((byte)0);
            }
            return new IpsInputs(settings, java.util.HexFormat.of().formatHex(sha.digest()));
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /** Every file read, sorted. */
    static List<Path> files(final IpsSettings settings) throws IOException
    {
        final TreeSet<Path> files = new TreeSet<>();
        final Path eve = null == settings.eve() ? null : settings.eve().toAbsolutePath().normalize();
        for (final Path rules : settings.ruleFiles())
        {
            final Path absolute = rules.toAbsolutePath().normalize();
            if (Files.isDirectory(absolute))
            {
                try (Stream<Path> list = Files.list(absolute))
                {
                    list.filter(file -> Files.isRegularFile(file) && !file.equals(eve)).forEach(files::add);
                }
                continue;
            }
            files.add(absolute);
            final Path classification = absolute.resolveSibling(RuleSetLoader.CLASSIFICATION_FILE);
            if (Files.isRegularFile(classification))
            {
                files.add(classification);
            }
        }
        for (final Path named : new Path[] {settings.classification(), settings.dlp()})
        {
            if (null != named)
            {
                files.add(named.toAbsolutePath().normalize());
            }
        }
        return new ArrayList<>(files);
    }

    /**
     * True when compiling {@code other} would read the same settings and bytes as this. The settings that take
     * effect only at start ({@link IpsSettings#withStartOnlyOf}: eve, max_streams, http_header_blocks) do not
     * count: a reload cannot apply them, and compiling the same rules again for them cost a second of CPU.
     */
    public boolean same(final IpsInputs other)
    {
        return null != other && settings.withStartOnlyOf(other.settings).equals(other.settings)
            && digest.equals(other.digest);
    }
}
