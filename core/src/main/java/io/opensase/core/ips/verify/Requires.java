package io.opensase.core.ips.verify;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A case's {@code requires}: what Suricata build suricata-verify demands before running it. Versions are kept as
 * written (Python's {@code str()} of the YAML value, so {@code 7.10} reads as {@code 7.1}, as suricata-verify
 * reads it); they say which Suricata release the expected output comes from and are not checked here.
 * Features name Suricata build options ({@code QA_SIMULATION}, {@code HAVE_LUA}); a case whose features the
 * engine lacks is one suricata-verify would skip.
 *
 * @param minVersion null when not given, as are the other versions
 * @param features   build features required, in order
 * @param pcap       false when the case says it needs no capture
 * @param other      further requirements kept as text: env, files, script, lambda, os, arch
 */
public record Requires(String minVersion, String ltVersion, String gtVersion, String version, List<String> features,
    boolean pcap, Map<String, String> other)
{
    public static final Requires NONE = new Requires(null, null, null, null, List.of(), true, Map.of());

    public Requires
    {
        features = List.copyOf(features);
        other = Map.copyOf(other);
    }

    /** The required features not in {@code available}, in the order given. */
    public List<String> unmetFeatures(final Set<String> available)
    {
        return features.stream().filter(feature -> !available.contains(feature)).toList();
    }

    /**
     * Reads a {@code requires} mapping; requirement kinds suricata-verify does not know go to {@code unknown} (it
     * stops with an error on them).
     */
    static Requires read(final CaseYaml yaml, final Node node, final List<String> unknown)
        throws VerifyFormatException
    {
        if (null == yaml.value(node))
        {
            return NONE;
        }
        String minVersion = null;
        String ltVersion = null;
        String gtVersion = null;
        String version = null;
        final List<String> features = new ArrayList<>();
        boolean pcap = true;
        final Map<String, String> other = new LinkedHashMap<>();
        for (final CaseYaml.Entry entry : yaml.mapping(node, "requires").values())
        {
            final Object value = yaml.value(entry.value());
            switch (entry.key())
            {
                case "min-version" -> minVersion = PyValues.str(value);
                case "lt-version" -> ltVersion = PyValues.str(value);
                case "gt-version" -> gtVersion = PyValues.str(value);
                case "version" -> version = PyValues.str(value);
                case "features" ->
                {
                    for (final Node feature : yaml.sequence(entry.value(), "requires.features"))
                    {
                        features.add(yaml.text(feature, "a feature"));
                    }
                }
                case "pcap" -> pcap = truthy(value);
                case "env", "files", "script", "lambda", "os", "arch" -> other.put(entry.key(), PyValues.show(value));
                default -> unknown.add("test.yaml:" + entry.line() + ": requirement '" + entry.key()
                    + "' is not one suricata-verify knows");
            }
        }
        return new Requires(minVersion, ltVersion, gtVersion, version, features, pcap, other);
    }

    /** Python truthiness of a YAML value. */
    static boolean truthy(final Object value)
    {
        return switch (value)
        {
            case null -> false;
            case Boolean flag -> flag;
            case String text -> !text.isEmpty();
            case Double number -> number != 0.0;
            case Number number -> !"0".equals(number.toString());
            case List<?> items -> !items.isEmpty();
            case Map<?, ?> fields -> !fields.isEmpty();
            default -> true;
        };
    }
}
