package io.opensase.dpdk;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Runs a test class only where pkg-config finds libdpdk, and reports it skipped, with the reason, elsewhere. Where
 * DPDK is installed but cannot be used, the tests run and fail saying why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(value = "io.opensase.dpdk.DpdkTestSupport#dpdkInstalled",
    disabledReason = "pkg-config finds no libdpdk on this machine: install dpdk, dpdk-dev and libdpdk-dev to run " +
        "the DPDK tests")
@interface RequiresDpdk
{
}
