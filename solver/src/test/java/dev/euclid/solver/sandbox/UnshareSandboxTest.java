package dev.euclid.solver.sandbox;

class UnshareSandboxTest extends SandboxBatteryTest {
    @Override
    Isolation isolation() {
        return Isolation.UNSHARE;
    }

    @Override
    int leakRuns() {
        return 200;
    }
}
