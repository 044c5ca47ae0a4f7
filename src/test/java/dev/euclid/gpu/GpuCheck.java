package dev.euclid.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the GPU tests of this package without Maven, as scripts/gpu-check.sh does on a lent GPU
 * machine (a bare image with a driver but no Maven or JDK: the script carries a runtime). The tests
 * are required to run there: -Deuclid.gpu.required=true turns a skip into a failure. Exit code 0
 * only when tests ran and none failed.
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) {
        System.setProperty(Gpu.REQUIRED_PROPERTY, "true");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(GpuCheck.class.getPackageName())).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 20);
        summary.printTo(out);
        boolean ok = summary.getTestsSucceededCount() > 0 && summary.getTotalFailureCount() == 0
                && summary.getTestsSkippedCount() == 0 && summary.getTestsAbortedCount() == 0;
        System.exit(ok ? 0 : 1);
    }
}
