package dev.euclid.solver.sandbox;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Makes the isolation tools the tests need present: bubblewrap is installed when missing (the tests run as root in CI). */
final class IsolationTools {
    private IsolationTools() {}

    static void require(Isolation isolation) {
        if (isolation == Isolation.BUBBLEWRAP && !isolation.available()) install("bubblewrap");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!isolation.available()) {
            String why = isolation + " is not available on this machine (and could not be installed)";
            if (ci) fail(why);
            assumeTrue(false, why);
        }
    }

    private static void install(String debianPackage) {
        try {
            Process p = new ProcessBuilder("apt-get", "install", "-y", "-q", debianPackage).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            // no apt-get: require() reports the tool as missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
