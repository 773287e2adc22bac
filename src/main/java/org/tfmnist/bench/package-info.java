/**
 * The {@code benchmark} command's measurements: the matmul ceiling, the tutorial models' training
 * throughput as a fraction of it, start-up times of the CLI in child processes, and the latency of
 * single predictions. It uses every layer below it (data, model, train, serving) and sits under the
 * CLI, which only prints its report.
 */
package org.tfmnist.bench;
