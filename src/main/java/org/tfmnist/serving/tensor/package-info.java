/**
 * Tensors of any dtype and shape on the way between a client and a SavedModel: {@link
 * org.tfmnist.serving.tensor.HostTensor} (bytes in host memory), its TensorProto form ({@link
 * org.tfmnist.serving.tensor.TensorProtos}), its TensorFlow form ({@link
 * org.tfmnist.serving.tensor.NativeTensors}) and its JSON form ({@link
 * org.tfmnist.serving.tensor.JsonTensorReader}, {@link
 * org.tfmnist.serving.tensor.JsonTensorWriter}).
 */
package org.tfmnist.serving.tensor;
