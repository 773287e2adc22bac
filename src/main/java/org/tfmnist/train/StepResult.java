package org.tfmnist.train;

/**
 * One training step's outcome: the batch's loss and accuracy, its rows, and the global step after
 * it (the step before plus one in a single process; the shared counter in a cluster).
 */
record StepResult(double loss, double accuracy, int rows, long globalStep) {}
