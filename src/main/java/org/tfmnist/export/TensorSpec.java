package org.tfmnist.export;

import java.util.List;

/**
 * One input or output of a signature as the SavedModel's MetaGraphDef declares it: its key in the
 * signature ({@code images}), the graph tensor ({@code x:0}), the dtype ({@code DT_FLOAT}) and the
 * dimensions (-1 for unknown); {@code dims} is null when the rank is unknown.
 */
public record TensorSpec(String key, String tensorName, String dtype, List<Long> dims) {}
