package io.opensase.core.control;

/**
 * What the control path (the HTTP API, {@code opensase reload}, SIGHUP) may ask of a running engine. Every
 * method runs on a control thread, never on a worker; reads sum counters the workers own. Implemented by
 * the engine; the API server only renders what it gets and maps outcomes to status codes.
 */
public interface EngineControl
{
    /** Liveness: up since, policy generation, audit anchor; JSON object. */
    String healthJson();

    /** Per port, worker and stage counters, drops by reason; JSON object. */
    String statsJson();

    /**
     * The top {@code limit} flows by bytes, optionally filtered; JSON object.
     *
     * @throws IllegalArgumentException when a filter value is not valid (the message says which).
     */
    String flowsJson(FlowFilter filter, int limit);

    /** Tenants with their selectors and connection counts; JSON object. */
    String tenantsJson();

    /** Per tenant and rule: packets, bytes, last hit; JSON object. */
    String rulesJson();

    /** The running configuration (its file's text), its generation and digest; JSON object. */
    String configJson();

    /** Prometheus text exposition format 0.0.4. */
    String metricsText();

    /**
     * Starts writing the packets that match {@code filter} (whatever their verdict) to a new pcap file, until
     * {@code maxPackets} are written or {@code maxSeconds} pass; JSON describing the capture.
     *
     * @throws IllegalArgumentException when a filter value is not valid (the message says which).
     * @throws IllegalStateException    when a capture is already under way, or there is nowhere to write.
     */
    String startCapture(FlowFilter filter, int maxPackets, int maxSeconds, String principal);

    /** The capture under way, or the last one; JSON. */
    String captureJson();

    /**
     * Starts following the packets {@code filter} takes: for each, which tenant, flow, firewall rule and verdict
     * the stages gave it, until {@code maxPackets} are recorded or {@code maxSeconds} pass; JSON.
     *
     * @throws IllegalArgumentException when a filter value is not valid.
     * @throws IllegalStateException    when a trace is already under way.
     */
    String startTrace(TraceFilter filter, int maxPackets, int maxSeconds, String principal);

    /** The trace under way, or the last one, with what it recorded so far; JSON. */
    String traceJson();

    /** Re-reads the configuration file and applies it when valid. */
    ReloadOutcome reload(String principal);

    /**
     * Validates {@code yaml} as a whole configuration, loading the IPS files it names (only from the
     * configuration's folder, or ones the running configuration names); unless {@code validateOnly}, writes it
     * to the configuration file atomically (the previous one kept beside it) and applies it. What does not load
     * is {@link ReloadOutcome.Status#INVALID} and nothing is written.
     */
    ReloadOutcome putConfig(String yaml, boolean validateOnly, String principal);
}
