package io.ucag.explain.relative;

/**
 * AGF's starting gradient (Gur, Ali and Wolf, AAAI 2021; the authors' {@code Linear.AGF} with no incoming gradient):
 * the gradient, with respect to the logits y, of the target's "salient" probability
 * <pre>
 *   p_t = softmax_k(u)_t,   u_k = y_t exp(-(y_k - y_t)^2 / (2 sigma^2)),   sigma = max_k |y_k - y_t|
 * </pre>
 * which keeps the classes whose logits are close to the target's and fades out the others. The derivative goes
 * through y_t and through sigma (its maximising class), as autograd's does. Computed on the host in double: a
 * logits row is small.
 */
public final class AgfSeed {
    private AgfSeed() {
    }

    /** dp_t/dy (one row of {@code logits.length} values) for the target class {@code t}. */
    public static float[] gradient(float[] logits, int t) {
        int m = logits.length;
        double yt = logits[t];
        double sigma = 0;
        int argmax = t;
        for (int k = 0; k < m; k++) {
            double a = Math.abs(logits[k] - yt);
            if (a > sigma) {
                sigma = a;
                argmax = k;
            }
        }
        if (sigma == 0) {
            return new float[m]; // every logit equals the target's: p_t is flat
        }
        double[] d = new double[m];
        double[] e = new double[m];
        double[] u = new double[m];
        double top = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            d[k] = logits[k] - yt;
            e[k] = Math.exp(-0.5 * d[k] * d[k] / (sigma * sigma));
            u[k] = yt * e[k];
            top = Math.max(top, u[k]);
        }
        double total = 0;
        double[] p = new double[m];
        for (int k = 0; k < m; k++) {
            p[k] = Math.exp(u[k] - top);
            total += p[k];
        }
        double[] gu = new double[m]; // dp_t/du_k = p_t (delta_tk - p_k)
        for (int k = 0; k < m; k++) {
            p[k] /= total;
        }
        for (int k = 0; k < m; k++) {
            gu[k] = p[t] * ((k == t ? 1 : 0) - p[k]);
        }
        double sumGuE = 0;      // sum_k gu_k e_k            (u_k's dependence on y_t as a factor)
        double sumGuED = 0;     // sum_k gu_k e_k d_k        (through d_k = y_k - y_t)
        double sumGuED2 = 0;    // sum_k gu_k e_k d_k^2      (through sigma)
        for (int k = 0; k < m; k++) {
            sumGuE += gu[k] * e[k];
            sumGuED += gu[k] * e[k] * d[k];
            sumGuED2 += gu[k] * e[k] * d[k] * d[k];
        }
        double s2 = sigma * sigma;
        double[] g = new double[m];
        for (int j = 0; j < m; j++) {
            g[j] = -yt * gu[j] * e[j] * d[j] / s2;           // d_j's own term
        }
        g[t] += sumGuE + yt * sumGuED / s2;                   // y_t as the factor and inside every d_k
        double dSigma = yt * sumGuED2 / (s2 * sigma);          // dp_t/dsigma
        double sign = Math.signum(d[argmax]);
        g[argmax] += dSigma * sign;                           // sigma = |y_argmax - y_t|
        g[t] -= dSigma * sign;
        float[] out = new float[m];
        for (int k = 0; k < m; k++) {
            out[k] = (float) g[k];
        }
        return out;
    }
}
