package io.opensase.ips.match;

import java.util.Locale;

/** The multi-literal engines behind {@link Prefilter}, and the automatic choice between them. */
public enum PrefilterEngine
{
    /** Hyperscan where the library loads (and the CPU is one it runs on), else {@link #JAVA}. */
    AUTO,
    /** Hyperscan (Debian's libhyperscan5) through FFM; failing to load it is an error. */
    HYPERSCAN,
    /** The pure-Java Aho-Corasick automaton. */
    JAVA;

    /** System property naming the engine: {@code auto} (the default), {@code hyperscan} or {@code java}. */
    public static final String PROP_NAME = "opensase.ips.prefilter";

    /** The engine {@value #PROP_NAME} asks for, {@link #AUTO} when it is not set. */
    public static PrefilterEngine fromSystemProperty()
    {
        return parse(System.getProperty(PROP_NAME, "auto"));
    }

    /**
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static PrefilterEngine parse(final String name)
    {
        return switch (name.strip().toLowerCase(Locale.ROOT))
        {
            case "auto" -> AUTO;
            case "hyperscan" -> HYPERSCAN;
            case "java" -> JAVA;
            default -> throw new IllegalArgumentException(
                "prefilter engine '" + name + "' is not one of auto, hyperscan, java");
        };
    }
}
