package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;

/**
 * The z-plus rule (Montavon et al., Pattern Recognition 2017, deep Taylor decomposition; eq. 6 of the 2019
 * overview): alpha-beta with alpha = 1, beta = 0, i.e. {@code R_i = sum_j z+_ij / sum_i' z+_i'j R_j}. As zennit's
 * {@code ZPlus}, negative inputs contribute through the negative weights ({@code x- w-}). Its input relevance has
 * the sign of the output relevance: non-negative for a non-negative seed.
 */
public final class ZPlus implements Rule {
    private static final AlphaBeta ALPHA1_BETA0 = new AlphaBeta(1, 0);

    @Override
    public String name() {
        return "z-plus";
    }

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        return ALPHA1_BETA0.relevance(d, layer, input, relevance);
    }

    @Override
    public Tensor relevancePlus(Device d, AffineLayer layer, Tensor input, Tensor relevance, Tensor addend) {
        return ALPHA1_BETA0.relevancePlus(d, layer, input, relevance, addend);
    }
}
