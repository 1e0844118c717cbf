package io.opensase.ips.dlp;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An exact-data-match table: HMAC-SHA256 (key: the per-deployment secret) of each normalised sensitive
 * value, with the bit set of the columns it came from, in a Chronicle Map in memory or in a file. The clear
 * values are never stored: only someone holding the secret can test a guess against the table, so a copied
 * table file cannot be searched by hashing candidate card numbers or names.
 *
 * <p>When built from the CSV, a Bloom filter over SipHash values (keyed by a key derived from the same
 * secret) lets the scanner skip the HMAC and the map lookup for nearly every candidate that is not in the
 * table; a table opened from its file alone has no filter and hashes every candidate. Shared, read-only
 * after construction; Chronicle Map reads are safe from many threads.
 */
final class EdmTable implements AutoCloseable
{
    static final int MAX_COLUMNS = 63;
    /** Longest normalised value, tag byte excluded: candidates come from a 128-byte window of words. */
    static final int MAX_VALUE = 48;
    static final int MAX_TEXT_WORDS = 4;
    static final int MIN_DIGITS = 6;
    static final int MIN_ALNUM = 5;
    static final int MIN_TEXT = 3;
    private static final String PREFILTER_LABEL = "opensase dlp edm prefilter";
    /**
     * 32 to 64 bits and five probes per value: under 0.01% of the candidates not in the table pass (each pass
     * costs an HMAC and a map lookup, which allocate).
     */
    private static final int BLOOM_BITS_PER_VALUE = 32;
    private static final int BLOOM_PROBES = 5;

    final String name;
    final String[] columnNames;
    final EdmColumnType[] columnTypes;
    /** Bit sets of the columns of each type. */
    final long digitsColumns;
    final long alnumColumns;
    final long textColumns;
    private final byte[] secret;
    private final ChronicleMap<byte[], Long> map;
    private final long k0;
    private final long k1;
    private final long[] bloom;
    private final int bloomMask;
    private final int loaded;
    private final int skipped;

    private EdmTable(final String name, final EdmSpec spec, final byte[] secret, final ChronicleMap<byte[], Long> map,
        final long[] bloom, final int loaded, final int skipped)
    {
        this.name = name;
        this.columnNames = spec.columns().keySet().toArray(String[]::new);
        this.columnTypes = spec.columns().values().toArray(EdmColumnType[]::new);
        this.digitsColumns = columnsOf(EdmColumnType.DIGITS);
        this.alnumColumns = columnsOf(EdmColumnType.ALNUM);
        this.textColumns = columnsOf(EdmColumnType.TEXT);
        this.secret = secret;
        this.map = map;
        final long[] prefilterKey = prefilterKey(secret);
        this.k0 = prefilterKey[0];
        this.k1 = prefilterKey[1];
        this.bloom = bloom;
        this.bloomMask = null == bloom ? 0 : bloom.length * 64 - 1;
        this.loaded = loaded;
        this.skipped = skipped;
    }

    /**
     * Whether {@code file} starts as a Chronicle Map file does: a header naming its class in the first bytes
     * (so that a map file name pointing at another file is refused, not deleted and overwritten).
     */
    static boolean looksLikeTable(final Path file) throws IOException
    {
        try (java.io.InputStream in = Files.newInputStream(file))
        {
            final String head = new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
            return head.contains("!net.openhft.chronicle.map.");
        }
    }

    /** Builds the table from the spec's CSV, or opens the spec's map file when it names no CSV. */
    static EdmTable open(final String name, final EdmSpec spec)
    {
        try
        {
            final byte[] secret = Files.readAllBytes(spec.secretFile());
            if (null == spec.csv())
            {
                final ChronicleMap<byte[], Long> map = builder(name, 1).createPersistedTo(spec.mapFile().toFile());
                return new EdmTable(name, spec, secret, map, null, (int)map.longSize(), 0);
            }
            return build(name, spec, secret);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("EDM table " + name + ": " + ex.getMessage(), ex);
        }
    }

    private static EdmTable build(final String name, final EdmSpec spec, final byte[] secret) throws IOException
    {
        final List<String> lines = Files.readAllLines(spec.csv(), StandardCharsets.UTF_8);
        final List<String> header = header(lines.isEmpty() ? "" : lines.get(0));
        final int[] index = new int[spec.columns().size()];
        final EdmColumnType[] types = spec.columns().values().toArray(EdmColumnType[]::new);
        int c = 0;
        for (final String column : spec.columns().keySet())
        {
            index[c++] = header.indexOf(column);
        }
        final long[] prefilterKey = prefilterKey(secret);
        final List<byte[]> hashes = new ArrayList<>();
        final List<Long> masks = new ArrayList<>();
        final List<Long> prefilter = new ArrayList<>();
        final byte[] value = new byte[MAX_VALUE + 1];
        int skipped = 0;
        for (int line = 1; line < lines.size(); line++)
        {
            if (lines.get(line).isBlank())
            {
                continue;
            }
            final List<String> fields = fields(lines.get(line), spec.csv(), line + 1);
            if (fields.size() != header.size())
            {
                throw new IllegalArgumentException(spec.csv() + ":" + (line + 1) + ": " + fields.size()
                    + " fields; the header has " + header.size());
            }
            for (int k = 0; k < index.length; k++)
            {
                if (fields.get(index[k]).isBlank())
                {
                    continue;
                }
                final int len = normalise(types[k], fields.get(index[k]), value);
                if (len < 0)
                {
                    skipped++;
                    continue;
                }
                hashes.add(hmac(secret, value, len));
                masks.add(1L << k);
                prefilter.add(SipHash.hash(prefilterKey[0], prefilterKey[1], value, len));
            }
        }
        final ChronicleMapBuilder<byte[], Long> builder = builder(name, hashes.size());
        final ChronicleMap<byte[], Long> map;
        if (null != spec.mapFile())
        {
            Files.deleteIfExists(spec.mapFile());
            map = builder.createPersistedTo(spec.mapFile().toFile());
        }
        else
        {
            map = builder.create();
        }
        for (int i = 0; i < hashes.size(); i++)
        {
            final Long old = map.get(hashes.get(i));
            map.put(hashes.get(i), null == old ? masks.get(i) : old | masks.get(i));
        }
        final long[] bloom = new long[Integer.highestOneBit(Math.max(64, hashes.size() * BLOOM_BITS_PER_VALUE)) / 32];
        final int mask = bloom.length * 64 - 1;
        for (final long h : prefilter)
        {
            for (int i = 0; i < BLOOM_PROBES; i++)
            {
                final int bit = bloomBit(h, i) & mask;
                bloom[bit >>> 6] |= 1L << bit;
            }
        }
        return new EdmTable(name, spec, secret, map, bloom, map.size(), skipped);
    }

    /** Probe {@code i} of a value by double hashing (Kirsch and Mitzenmacher) of its 64-bit SipHash. */
    private static int bloomBit(final long h, final int i)
    {
        return (int)h + i * (int)(h >>> 32);
    }

    private static long[] prefilterKey(final byte[] secret)
    {
        final byte[] key = hmac(secret, PREFILTER_LABEL.getBytes(StandardCharsets.US_ASCII), PREFILTER_LABEL.length());
        return new long[] {littleEndian(key, 0), littleEndian(key, 8)};
    }

    private static ChronicleMapBuilder<byte[], Long> builder(final String name, final int entries)
    {
        return ChronicleMap.of(byte[].class, Long.class)
            .name("dlp-edm-" + name)
            .constantKeySizeBySample(new byte[32])
            .entries(Math.max(1_000, entries));
    }

    private long columnsOf(final EdmColumnType type)
    {
        long mask = 0;
        for (int c = 0; c < columnTypes.length; c++)
        {
            mask |= columnTypes[c] == type ? 1L << c : 0;
        }
        return mask;
    }

    /** False when the value whose SipHash is {@code h} is certainly not in the table; true without a filter. */
    boolean mightContain(final long h)
    {
        if (null == bloom)
        {
            return true;
        }
        for (int i = 0; i < BLOOM_PROBES; i++)
        {
            final int bit = bloomBit(h, i) & bloomMask;
            if ((bloom[bit >>> 6] & 1L << bit) == 0)
            {
                return false;
            }
        }
        return true;
    }

    long prefilterHash(final byte[] value, final int len)
    {
        return SipHash.hash(k0, k1, value, len);
    }

    /** The column bit set stored for a 32-byte HMAC, or 0. */
    long columns(final byte[] hmac)
    {
        final Long mask = map.get(hmac);
        return null == mask ? 0 : mask;
    }

    /** A MAC keyed with this table's secret, for one scanner thread. */
    Mac newMac()
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
        }
    }

    /** Values loaded (distinct keyed hashes). */
    int loaded()
    {
        return loaded;
    }

    /** CSV cells not loaded (empty cells aside): too short, too long, or (alnum) without a digit. */
    int skipped()
    {
        return skipped;
    }

    @Override
    public void close()
    {
        map.close();
        Arrays.fill(secret, (byte)0);
    }

    /**
     * Writes {@code tag, normalised value} into {@code out} and returns its length, or -1 when the value is
     * too short or too long to be matched (see the MIN_ and MAX_ constants).
     */
    static int normalise(final EdmColumnType type, final String value, final byte[] out)
    {
        out[0] = type.tag();
        int len = 1;
        int words = 1;
        boolean digit = false;
        for (int i = 0; i < value.length(); i++)
        {
            final char ch = value.charAt(i);
            final boolean isDigit = ch >= '0' && ch <= '9';
            final boolean isLetter = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z';
            digit |= isDigit;
            final int put = switch (type)
            {
                case DIGITS -> isDigit ? ch : -1;
                case ALNUM -> isDigit || isLetter ? Character.toUpperCase(ch) : -1;
                case TEXT -> isDigit || isLetter ? Character.toLowerCase(ch)
                    : len > 1 && out[len - 1] != ' ' ? ' ' : -1;
            };
            if (put < 0)
            {
                continue;
            }
            if (len > MAX_VALUE)
            {
                return -1;
            }
            if (put == ' ')
            {
                words++;
            }
            out[len++] = (byte)put;
        }
        if (type == EdmColumnType.TEXT && len > 1 && out[len - 1] == ' ')
        {
            len--;
            words--;
        }
        final int chars = len - 1;
        final boolean usable = switch (type)
        {
            case DIGITS -> chars >= MIN_DIGITS;
            case ALNUM -> chars >= MIN_ALNUM && digit;
            case TEXT -> chars >= MIN_TEXT && words <= MAX_TEXT_WORDS;
        };
        return usable ? len : -1;
    }

    /** The column names of a CSV's first line. */
    static List<String> header(final String csv)
    {
        final int end = csv.indexOf('\n');
        final String first = (end < 0 ? csv : csv.substring(0, end)).replace("\r", "");
        final List<String> names = new ArrayList<>();
        for (final String field : fields(first, null, 1))
        {
            names.add(field.trim());
        }
        return names;
    }

    /** One CSV record: commas, fields optionally in double quotes with {@code ""} for a quote. */
    static List<String> fields(final String line, final Path file, final int lineNumber)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char ch = line.charAt(i);
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"')
                {
                    field.append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.append(ch);
                }
            }
            else if (ch == '"' && field.isEmpty())
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.add(field.toString());
                field.setLength(0);
            }
            else if (ch != '\r')
            {
                field.append(ch);
            }
        }
        if (quoted)
        {
            throw new IllegalArgumentException((null == file ? "csv" : file.toString()) + ":" + lineNumber
                + ": a quoted field runs past the end of the line (fields over several lines are not read)");
        }
        fields.add(field.toString());
        return fields;
    }

    static byte[] hmac(final byte[] secret, final byte[] value, final int len)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(value, 0, len);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
        }
    }

    private static long littleEndian(final byte[] b, final int from)
    {
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = v << 8 | (b[from + i] & 0xffL);
        }
        return v;
    }

    @Override
    public String toString()
    {
        return "EDM table " + name + " (" + loaded + " keyed hashes, columns " + String.join(", ", columnNames) + ")";
    }
}
