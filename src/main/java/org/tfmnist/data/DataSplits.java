package org.tfmnist.data;

/** A data set's training and test parts, as the four standard IDX files give them. */
public record DataSplits(Dataset train, Dataset test) {}
