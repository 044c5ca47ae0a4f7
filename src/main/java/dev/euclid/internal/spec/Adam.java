package dev.euclid.internal.spec;

/** Adam (Kingma and Ba, 2015) over one flat parameter array, with bias-corrected moments. */
final class Adam {
    private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;
    private final float[] m, v;
    private int t;

    Adam(int size) {
        m = new float[size];
        v = new float[size];
    }

    /** One step of size lr along grad. */
    void step(float[] params, float[] grad, double lr) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t), c2 = 1 - Math.pow(BETA2, t);
        float rate = (float) (lr * Math.sqrt(c2) / c1);
        for (int i = 0; i < params.length; i++) {
            float g = grad[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            params[i] -= rate * m[i] / ((float) Math.sqrt(v[i]) + EPS);
        }
    }
}
