package io.opensase.ips.dlp;

import java.util.List;

/**
 * One detector of a profile.
 *
 * @param type     what it detects
 * @param name     the name findings carry: the file's {@code name}, else the type's name
 * @param minCount matches in one message before it counts as found
 * @param words    the dictionary of a {@link DetectorType#KEYWORDS} detector, else empty
 * @param edm      the table of an {@link DetectorType#EDM} detector, else null
 */
public record DetectorSpec(DetectorType type, String name, int minCount, List<String> words, EdmSpec edm)
{
    public DetectorSpec
    {
        words = List.copyOf(words);
    }
}
