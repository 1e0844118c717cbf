package io.opensase.ips.rules;

/**
 * {@code detection_filter:track K, count C, seconds S}: a match alerts only once more than C matches were
 * seen in the last S seconds (per {@code track}).
 */
public record DetectionFilter(Threshold.Track track, long count, long seconds)
{
}
