package io.opensase.ips.dlp;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads DLP profiles from YAML and reports the first problem as {@code file:line: field: reason}. A profile
 * file has {@code profiles:} at the top; core's configuration can hand its {@code dlp:} node, which has the
 * same shape, to {@link #parse(Path, Node)}. Files named in a profile are taken relative to the profile
 * file's folder. Cold path, control thread.
 */
public final class DlpProfileParser
{
    /** Longest keyword or phrase: the scanner checks the word boundary before it in a 128-byte window. */
    static final int MAX_WORD_LENGTH = 100;
    /** Shortest EDM secret: 128 bits, so that the keyed hashes cannot be searched without it. */
    static final int MIN_SECRET_BYTES = 16;
    /** Longest EDM secret file read: a key, not a data file (a device such as /dev/zero never ends). */
    static final int MAX_SECRET_BYTES = 4096;

    private static final Set<String> TOP = Set.of("profiles");
    private static final Set<String> PROFILE = Set.of("name", "action", "flow_threshold", "detectors",
        "unscanned_body");
    private static final Set<String> DETECTOR = Set.of("type", "name", "min_count");
    private static final Set<String> KEYWORDS = Set.of("type", "name", "min_count", "words");
    private static final Set<String> EDM = Set.of("type", "name", "min_count", "csv", "secret_file", "map_file",
        "columns");

    private DlpProfileParser()
    {
    }

    /** Reads and checks a profile file. */
    public static DlpPolicy parse(final Path file) throws DlpProfileException
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new DlpProfileException(file, 0, "", ex instanceof java.nio.file.NoSuchFileException
                ? "no such file" : "cannot read: " + ex);
        }
        // Found by a tester: a file that is not UTF-8 was reported at line 0 with the decoder's exception.
        final int bad = firstBadByte(bytes);
        if (bad >= 0)
        {
            requireProfilesNamed(file, bytes);
            final int lineStart = lastIndexOf(bytes, (byte)'\n', bad) + 1;
            throw new DlpProfileException(file, lineOf(bytes, bad), "", String.format(
                "not UTF-8 text: byte 0x%02X at column %d", bytes[bad] & 0xFF, bad - lineStart + 1));
        }
        final Node root;
        try
        {
            root = compose(file, new String(bytes, StandardCharsets.UTF_8));
        }
        catch (final DlpProfileException ex)
        {
            requireProfilesNamed(file, bytes);
            throw ex;
        }
        return parse(file, root);
    }

    /**
     * Found by a tester: the first line of a file that is no profile file at all (through the control API, one
     * only root may read) was quoted back as an unknown field. A file that does not even name {@code profiles}
     * is refused with nothing of its content: neither a field name nor what the YAML or UTF-8 decoder found.
     */
    private static void requireProfilesNamed(final Path file, final byte[] bytes) throws DlpProfileException
    {
        if (!new String(bytes, StandardCharsets.ISO_8859_1).contains("profiles"))
        {
            throw notAProfileFile(file, 1, "");
        }
    }

    private static DlpProfileException notAProfileFile(final Path file, final int line, final String section)
    {
        return new DlpProfileException(file, line, section, "not a DLP profile file: no 'profiles:' at its top");
    }

    /** Checks an already composed mapping holding {@code profiles:} that came from {@code file}. */
    public static DlpPolicy parse(final Path file, final Node root) throws DlpProfileException
    {
        return parse(file, root, "");
    }

    /**
     * As {@link #parse(Path, Node)} for a section of a larger file: error field paths start with
     * {@code section} (such as {@code dlp}, giving {@code dlp.profiles[0].action}).
     */
    public static DlpPolicy parse(final Path file, final Node root, final String section) throws DlpProfileException
    {
        final Yaml top = new Yaml(file, section, root);
        if (null == top.peek("profiles"))
        {
            throw notAProfileFile(file, top.line(), section);
        }
        final Map<String, Yaml> fields = top.mapping(TOP);
        final Yaml list = fields.get("profiles");
        if (null == list)
        {
            throw top.error("profiles is missing");
        }
        final Path folder = file.toAbsolutePath().getParent();
        final List<DlpProfile> profiles = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final Yaml item : list.sequence())
        {
            final DlpProfile profile = profile(item, folder);
            if (!names.add(profile.name()))
            {
                throw item.error("profile name '" + profile.name() + "' given twice");
            }
            profiles.add(profile);
        }
        if (profiles.isEmpty())
        {
            throw list.error("expected at least one profile");
        }
        return new DlpPolicy(profiles);
    }

    private static DlpProfile profile(final Yaml node, final Path folder) throws DlpProfileException
    {
        final Map<String, Yaml> fields = node.mapping(PROFILE);
        final String name = required(node, fields, "name").name();
        final Yaml actionNode = fields.get("action");
        final DlpAction action = null == actionNode ? DlpAction.ALERT : actionNode.action();
        final Yaml unscannedNode = fields.get("unscanned_body");
        final DlpAction unscanned = null == unscannedNode ? action : unscannedNode.action();
        final Yaml thresholdNode = fields.get("flow_threshold");
        final int threshold = null == thresholdNode ? 1 : thresholdNode.integer(1, 1_000_000);
        final List<DetectorSpec> detectors = new ArrayList<>();
        final Set<String> detectorNames = new HashSet<>();
        for (final Yaml item : required(node, fields, "detectors").sequence())
        {
            final DetectorSpec detector = detector(item, folder);
            if (!detectorNames.add(detector.name()))
            {
                throw item.error("detector name '" + detector.name() + "' given twice in profile " + name
                    + "; give each a distinct name");
            }
            detectors.add(detector);
        }
        if (detectors.isEmpty())
        {
            throw fields.get("detectors").error("expected at least one detector");
        }
        return new DlpProfile(name, action, threshold, detectors, unscanned);
    }

    private static DetectorSpec detector(final Yaml node, final Path folder) throws DlpProfileException
    {
        final Yaml typeNode = node.peek("type");
        if (null == typeNode)
        {
            throw node.error("type is missing; one of " + typeNames());
        }
        final DetectorType type = typeNode.type();
        final Map<String, Yaml> fields = node.mapping(switch (type)
        {
            case KEYWORDS -> KEYWORDS;
            case EDM -> EDM;
            default -> DETECTOR;
        });
        final String name = fields.containsKey("name") ? fields.get("name").name() : type.yamlName();
        final int minCount = fields.containsKey("min_count") ? fields.get("min_count").integer(1, 1_000_000) : 1;
        List<String> words = List.of();
        EdmSpec edm = null;
        if (DetectorType.KEYWORDS == type)
        {
            words = words(required(node, fields, "words"));
        }
        else if (DetectorType.EDM == type)
        {
            edm = edm(node, fields, folder);
        }
        return new DetectorSpec(type, name, minCount, words, edm);
    }

    private static List<String> words(final Yaml list) throws DlpProfileException
    {
        final List<String> words = new ArrayList<>();
        for (final Yaml item : list.sequence())
        {
            final String word = item.text();
            if (word.isEmpty())
            {
                throw item.error("empty word");
            }
            if (word.length() > MAX_WORD_LENGTH)
            {
                throw item.error("longer than " + MAX_WORD_LENGTH + " characters");
            }
            for (int i = 0; i < word.length(); i++)
            {
                if (word.charAt(i) > 0x7e || word.charAt(i) < 0x20)
                {
                    throw item.error("only printable ASCII is matched; '" + word + "' has other characters");
                }
            }
            words.add(word);
        }
        if (words.isEmpty())
        {
            throw list.error("expected at least one word");
        }
        return words;
    }

    private static EdmSpec edm(final Yaml node, final Map<String, Yaml> fields, final Path folder)
        throws DlpProfileException
    {
        final Yaml secretNode = required(node, fields, "secret_file");
        final Path secret = secretNode.file(folder);
        final byte[] key = readable(secretNode, secret, MAX_SECRET_BYTES);
        if (key.length < MIN_SECRET_BYTES)
        {
            throw secretNode.error(secret + " holds " + key.length + " bytes; the secret needs at least "
                + MIN_SECRET_BYTES);
        }
        java.util.Arrays.fill(key, (byte)0);
        final Path csv = fields.containsKey("csv") ? fields.get("csv").file(folder) : null;
        final Path map = fields.containsKey("map_file") ? fields.get("map_file").file(folder) : null;
        if (null == csv && (null == map || !Files.isRegularFile(map)))
        {
            throw node.error("csv is missing: without it, map_file must name a table built earlier");
        }
        if (null != map)
        {
            mapFileUsable(fields.get("map_file"), map, csv, secret);
        }
        final Yaml columnsNode = required(node, fields, "columns");
        final Map<String, EdmColumnType> columns = new LinkedHashMap<>();
        for (final Map.Entry<String, Yaml> column : columnsNode.freeMapping().entrySet())
        {
            columns.put(column.getKey(), column.getValue().columnType());
        }
        if (columns.isEmpty() || columns.size() > EdmTable.MAX_COLUMNS)
        {
            throw columnsNode.error("expected 1.." + EdmTable.MAX_COLUMNS + " columns");
        }
        if (null != csv)
        {
            final List<String> header = EdmTable.header(utf8(fields.get("csv"), csv,
                readable(fields.get("csv"), csv, Integer.MAX_VALUE)));
            for (final Map.Entry<String, Yaml> column : columnsNode.freeMapping().entrySet())
            {
                if (!header.contains(column.getKey()))
                {
                    throw column.getValue().error("no column '" + column.getKey() + "' in " + csv
                        + "; its header has " + String.join(", ", header));
                }
            }
        }
        return new EdmSpec(csv, secret, map, columns);
    }

    /** The bytes of {@code file}, a regular file of at most {@code maxBytes}. */
    private static byte[] readable(final Yaml node, final Path file, final int maxBytes) throws DlpProfileException
    {
        try
        {
            if (Files.exists(file) && !Files.isRegularFile(file))
            {
                throw node.error(file + " is not a regular file");
            }
            if (Files.size(file) > maxBytes)
            {
                throw node.error(file + " holds " + Files.size(file) + " bytes; at most " + maxBytes + " are read");
            }
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw node.error("cannot read " + file + ": " + ex.getClass().getSimpleName());
        }
    }

    /** The text of a CSV file, refused with its line when it is not UTF-8 (the table reads it as UTF-8). */
    private static String utf8(final Yaml node, final Path file, final byte[] bytes) throws DlpProfileException
    {
        final int bad = firstBadByte(bytes);
        if (bad >= 0)
        {
            throw node.error(file + ":" + lineOf(bytes, bad) + ": not UTF-8 text");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Offset of the first byte of {@code bytes} that starts no valid UTF-8 sequence, or -1 when all are UTF-8. */
    private static int firstBadByte(final byte[] bytes)
    {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        // A decoder made by newDecoder reports malformed input and stops in front of it.
        final CoderResult result = StandardCharsets.UTF_8.newDecoder()
            .decode(in, CharBuffer.allocate(bytes.length), true);
        return result.isError() ? in.position() : -1;
    }

    /** The line (from 1) that byte {@code at} of {@code bytes} is on. */
    private static int lineOf(final byte[] bytes, final int at)
    {
        int line = 1;
        for (int i = 0; i < at; i++)
        {
            if ('\n' == bytes[i])
            {
                line++;
            }
        }
        return line;
    }

    private static int lastIndexOf(final byte[] bytes, final byte b, final int before)
    {
        for (int i = before - 1; i >= 0; i--)
        {
            if (bytes[i] == b)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * A map file the table may be written to: its folder exists, it is neither the CSV nor the secret, and
     * what it holds already is a table (building from the CSV deletes it first; before, it deleted whatever
     * the name pointed to, the CSV itself included).
     */
    private static void mapFileUsable(final Yaml node, final Path map, final Path csv, final Path secret)
        throws DlpProfileException
    {
        final Path parent = map.toAbsolutePath().getParent();
        if (null == parent || !Files.isDirectory(parent))
        {
            throw node.error("folder " + parent + " does not exist");
        }
        if (!Files.exists(map))
        {
            return;
        }
        try
        {
            for (final Path other : new Path[] {csv, secret})
            {
                if (null != other && Files.exists(other) && Files.isSameFile(map, other))
                {
                    throw node.error(map + " is also the " + (other == csv ? "csv" : "secret_file")
                        + "; the table needs a file of its own");
                }
            }
            if (!Files.isRegularFile(map) || !EdmTable.looksLikeTable(map))
            {
                throw node.error(map + " exists and is not an EDM table; remove it or name another file");
            }
        }
        catch (final IOException ex)
        {
            throw node.error("cannot read " + map + ": " + ex.getClass().getSimpleName());
        }
    }

    private static Yaml required(final Yaml node, final Map<String, Yaml> fields, final String name)
        throws DlpProfileException
    {
        final Yaml value = fields.get(name);
        if (null == value)
        {
            throw node.error(name + " is missing");
        }
        return value;
    }

    private static String typeNames()
    {
        final List<String> names = new ArrayList<>();
        for (final DetectorType type : DetectorType.values())
        {
            names.add(type.yamlName());
        }
        return String.join(", ", names);
    }

    private static Node compose(final Path file, final String text) throws DlpProfileException
    {
        final LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        try
        {
            final Composer composer = new Composer(settings,
                new ParserImpl(settings, new StreamReader(settings, text)));
            final Node root = composer.getSingleNode().orElse(null);
            if (null == root)
            {
                throw new DlpProfileException(file, 1, "", "empty file; expected profiles:");
            }
            return root;
        }
        catch (final MarkedYamlEngineException ex)
        {
            final int line = ex.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            throw new DlpProfileException(file, line, "", "not valid YAML: " + ex.getProblem());
        }
        catch (final YamlEngineException ex)
        {
            throw new DlpProfileException(file, 0, "", "not valid YAML: " + ex.getMessage());
        }
        catch (final StackOverflowError ex)
        {
            // The composer recurses once per nesting level; refuse a file nested thousands deep.
            throw new DlpProfileException(file, 0, "", "not valid YAML: nested too deeply for the loader");
        }
    }

    /** A node with its field path and line, and readers that fail naming both. */
    private record Yaml(Path file, String path, Node node)
    {
        int line()
        {
            return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
        }

        DlpProfileException error(final String reason)
        {
            return new DlpProfileException(file, line(), path, reason);
        }

        Yaml peek(final String name)
        {
            if (node instanceof MappingNode mapping)
            {
                for (final NodeTuple tuple : mapping.getValue())
                {
                    if (tuple.getKeyNode() instanceof ScalarNode key && name.equals(key.getValue()))
                    {
                        return new Yaml(file, child(name), tuple.getValueNode());
                    }
                }
            }
            return null;
        }

        Map<String, Yaml> mapping(final Set<String> allowed) throws DlpProfileException
        {
            final Map<String, Yaml> fields = freeMapping();
            for (final Map.Entry<String, Yaml> field : fields.entrySet())
            {
                if (!allowed.contains(field.getKey()))
                {
                    throw field.getValue().error("unknown field; allowed here: "
                        + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            return fields;
        }

        Map<String, Yaml> freeMapping() throws DlpProfileException
        {
            if (!(node instanceof MappingNode mapping))
            {
                throw error("expected a mapping");
            }
            final Map<String, Yaml> fields = new LinkedHashMap<>();
            for (final NodeTuple tuple : mapping.getValue())
            {
                if (!(tuple.getKeyNode() instanceof ScalarNode key))
                {
                    throw new Yaml(file, path, tuple.getKeyNode()).error("keys must be plain names");
                }
                final Yaml value = new Yaml(file, child(key.getValue()), tuple.getValueNode());
                if (fields.put(key.getValue(), value) != null)
                {
                    throw new Yaml(file, value.path, tuple.getKeyNode()).error("given twice");
                }
            }
            return fields;
        }

        List<Yaml> sequence() throws DlpProfileException
        {
            if (!(node instanceof SequenceNode sequence))
            {
                throw error("expected a list");
            }
            final List<Yaml> items = new ArrayList<>();
            for (final Node item : sequence.getValue())
            {
                items.add(new Yaml(file, path + "[" + items.size() + "]", item));
            }
            return items;
        }

        String text() throws DlpProfileException
        {
            if (!(node instanceof ScalarNode scalar))
            {
                throw error("expected a single value");
            }
            return scalar.getValue().trim();
        }

        String name() throws DlpProfileException
        {
            final String text = text();
            if (!text.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"))
            {
                throw error("'" + text + "' is not a name: letters, digits, '_', '.', '-', up to 64");
            }
            return text;
        }

        int integer(final int min, final int max) throws DlpProfileException
        {
            final String text = text();
            try
            {
                final long value = Long.parseLong(text);
                if (value < min || value > max)
                {
                    throw error("must be " + min + ".." + max + ", got " + text);
                }
                return (int)value;
            }
            catch (final NumberFormatException ex)
            {
                throw error("expected an integer " + min + ".." + max + ", got '" + text + "'");
            }
        }

        DlpAction action() throws DlpProfileException
        {
            final String text = text();
            for (final DlpAction action : DlpAction.values())
            {
                if (action.yamlName().equals(text))
                {
                    return action;
                }
            }
            throw error("'" + text + "' is not one of alert, block");
        }

        DetectorType type() throws DlpProfileException
        {
            final String text = text();
            for (final DetectorType type : DetectorType.values())
            {
                if (type.yamlName().equals(text))
                {
                    return type;
                }
            }
            throw error("unknown detector '" + text + "'; one of " + typeNames());
        }

        EdmColumnType columnType() throws DlpProfileException
        {
            final String text = text();
            for (final EdmColumnType type : EdmColumnType.values())
            {
                if (type.yamlName().equals(text))
                {
                    return type;
                }
            }
            throw error("'" + text + "' is not one of digits, alnum, text");
        }

        Path file(final Path folder) throws DlpProfileException
        {
            final String text = text();
            if (text.isEmpty())
            {
                throw error("expected a file name, got nothing");
            }
            try
            {
                return folder.resolve(text).normalize();
            }
            catch (final java.nio.file.InvalidPathException ex)
            {
                throw error("not a usable file name: " + ex.getReason());
            }
        }

        private String child(final String name)
        {
            return path.isEmpty() ? name : path + "." + name;
        }
    }
}
