package dev.euclid.solver.sandbox;

class BubblewrapSandboxTest extends SandboxBatteryTest {
    @Override
    Isolation isolation() {
        return Isolation.BUBBLEWRAP;
    }

    @Override
    int leakRuns() {
        return 1000;
    }
}
