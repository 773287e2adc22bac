package org.tfmnist.train;

/**
 * How a run ended: the final step, the final test evaluation, this process's wall time (of which
 * {@code evaluationSeconds} went to the per-epoch test evaluations) and its training throughput in
 * examples per second, test evaluations excluded.
 */
public record TrainingSummary(
    long finalStep,
    Evaluation test,
    double wallSeconds,
    double evaluationSeconds,
    double examplesPerSecond) {}
