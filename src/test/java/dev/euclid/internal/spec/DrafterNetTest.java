package dev.euclid.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The drafter's analytic gradient against central finite differences of its loss. */
class DrafterNetTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        DrafterShape shape = new DrafterShape(6, 11, 2);
        SplittableRandom random = new SplittableRandom(5);
        float[] embedding = gaussian(random, shape.vocab() * shape.dim(), 1);
        DrafterNet net = new DrafterNet(shape, embedding);
        float[] p = gaussian(random, shape.weightCount(), 0.5);
        float[] h = gaussian(random, shape.dim(), 1);
        int[] inputs = {3, 7, 1, 9, 4}, labels = {2, 5, 10, 0, 6};
        int steps = 4;
        float[] grad = new float[p.length];
        DrafterNet.Trace trace = net.trace(steps);
        double loss = net.train(p, h, 0, inputs, 1, labels, steps, 1f, grad, null, trace);
        assertTrue(loss > 0);
        // Every parameter group: recurrence (W, U, b), MLP input (A, a), blocks (R, r), head.
        int[] probes = {shape.w() + 3, shape.u() + 20, shape.b() + 1, shape.a() + 2, shape.a() + 2 * 6 * 3 + 8,
                shape.aBias() + 4, shape.res(0) + 7, shape.resBias(0) + 2, shape.res(1) + 30, shape.head() + 13,
                shape.head() + 5 * 6 + 1};
        double eps = 1e-2;
        for (int i : probes) {
            float saved = p[i];
            p[i] = (float) (saved + eps);
            double up = net.train(p, h, 0, inputs, 1, labels, steps, 1f, new float[p.length], null, trace);
            p[i] = (float) (saved - eps);
            double down = net.train(p, h, 0, inputs, 1, labels, steps, 1f, new float[p.length], null, trace);
            p[i] = saved;
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, grad[i], 2e-3 + 1e-2 * Math.abs(numeric), "d loss / d p[" + i + "]");
        }
    }

    private static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (random.nextGaussian() * std);
        return a;
    }
}
