/**
 * Scoring the IPS against suricata-verify cases: a case directory (test.yaml, rules, capture) is read into a
 * {@link io.opensase.core.ips.verify.VerifyCase}, the engine runs over it and writes EVE lines, and
 * {@link io.opensase.core.ips.verify.VerifyScorer} judges those lines the way suricata-verify's runner does: each
 * {@code filter} check counts the events whose fields all equal the expected values, and the count must be
 * exactly the one given. Anything in a test.yaml this package cannot judge the same way fails as an unsupported
 * check rather than passing.
 */
package io.opensase.core.ips.verify;
