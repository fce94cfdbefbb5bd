package io.ucag.runtime.ops;

/** Reductions over axes, as {@code torch.sum / torch.mean / torch.amax}. */
public enum ReduceOp {
    SUM, MEAN, MAX
}
