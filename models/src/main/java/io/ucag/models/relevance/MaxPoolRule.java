package io.ucag.models.relevance;

/** How relevance passes a max-pooling layer. */
public enum MaxPoolRule {
    /** All of a window's relevance to its maximum (the gradient's routing; zennit's default). */
    WINNER_TAKES_ALL,
    /** Split in proportion to the window's input values, as through a sum pool. */
    PROPORTIONAL
}
