/** VGG and ResNet model definitions and their weight mapping (built in the models issue). */
package io.ucag.models;
