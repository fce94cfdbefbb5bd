/** Importing, converting, inspecting and fetching model weights (built in the models issue). */
package io.ucag.weights;
