package io.opensase.ips.rules;

/**
 * The application protocol a rule is bound to, by its header ({@code alert http}) or by the buffers it
 * inspects ({@code http.uri} in an {@code alert tcp} rule). A rule binds to at most one.
 */
public enum AppProtocol
{
    /** Not bound: the rule sees packets and streams of any application. */
    NONE,
    HTTP,
    TLS,
    DNS
}
