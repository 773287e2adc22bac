package org.tfmnist.train;

/**
 * How a run ended: the final step, the final test evaluation, the wall time of this process's
 * training and its throughput in training examples per second.
 */
public record TrainingSummary(
    long finalStep, Evaluation test, double trainingSeconds, double examplesPerSecond) {}
