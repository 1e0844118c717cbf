package io.opensase.ips.dlp;

import java.util.List;

/**
 * A named set of detectors with one action. A detector is found in a message once it has matched
 * {@code minCount} times there; the profile acts once the flow's matches of all its detectors, over all the
 * flow's messages, reach {@code flowThreshold}.
 */
public record DlpProfile(String name, DlpAction action, int flowThreshold, List<DetectorSpec> detectors)
{
    public DlpProfile
    {
        detectors = List.copyOf(detectors);
    }
}
