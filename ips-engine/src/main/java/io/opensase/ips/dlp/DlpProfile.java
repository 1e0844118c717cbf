package io.opensase.ips.dlp;

import java.util.List;

/**
 * A named set of detectors with one action. A detector is found in a message once it has matched
 * {@code minCount} times there; the profile acts once the flow's matches of all its detectors, over all the
 * flow's messages, reach {@code flowThreshold}.
 *
 * @param unscanned what to do with a message whose body could not be scanned whole (cut at a body or
 *                  decompression limit, or by a gap): {@link DlpAction#BLOCK} fails closed. Defaults to the
 *                  profile's {@code action}.
 */
public record DlpProfile(String name, DlpAction action, int flowThreshold, List<DetectorSpec> detectors,
    DlpAction unscanned)
{
    public DlpProfile
    {
        detectors = List.copyOf(detectors);
    }
}
