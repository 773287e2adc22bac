package org.tfmnist.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The flags of {@code tensorflow_model_server --help} (2.x) that have no meaning here, accepted
 * with TF Serving's spelling and default so that its command lines start unchanged. A value other
 * than the default, where it cannot work here (a GPU, TFLite, XLA, ALTS, a platform config), is a
 * usage error of one line; the others (file-system caches, the profiler, TFLite pools, TPUs) have
 * no effect.
 */
final class ServeCompatFlags {
  @Option(
      names = "--rest_api_enable_cors_support",
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only).")
  boolean cors;

  @Option(
      names = "--enable_per_model_batching_parameters",
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only): one batching configuration for all models.")
  boolean perModelBatching;

  @Option(
      names = "--flush_filesystem_caches",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      converter = TfBoolean.class,
      description = "No effect here.")
  boolean flushCaches;

  @Option(
      names = "--tensorflow_session_config_file",
      paramLabel = "FILE",
      defaultValue = "",
      description = "Not supported: use --tensorflow_*_parallelism and --precision.")
  String sessionConfigFile;

  @Option(
      names = "--use_alts_credentials",
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only).")
  boolean alts;

  @Option(
      names = "--platform_config_file",
      paramLabel = "FILE",
      defaultValue = "",
      description =
          "Not supported: use --tensorflow_*_parallelism, --precision and"
              + " --batching_parameters_file.")
  String platformConfigFile;

  @Option(
      names = "--per_process_gpu_memory_fraction",
      paramLabel = "F",
      defaultValue = "0",
      description = "0 only: this server runs on the CPU.")
  float gpuFraction;

  @Option(
      names = "--num_request_iterations_for_warmup",
      paramLabel = "N",
      defaultValue = "0",
      description = "0 or 1 only: each warm-up request runs once.")
  int warmupIterations;

  @Option(
      names = "--remove_unused_fields_from_bundle_metagraph",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      converter = TfBoolean.class,
      description = "No effect here.")
  boolean removeUnusedFields;

  @Option(
      names = {"--prefer_tflite_model", "--use_tflite_model"},
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only): SavedModels only.")
  boolean tflite;

  @Option(
      names = {
        "--num_tflite_pools",
        "--num_tflite_interpreters_per_pool",
        "--num_tflite_interpreters"
      },
      paramLabel = "N",
      description = "No effect here (TFLite).")
  Integer tflitePools;

  @Option(
      names = {"--xla_cpu_compilation_enabled", "--xla_gpu_compilation_enabled"},
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only).")
  boolean xla;

  @Option(
      names = {"--enable_profiler", "--skip_initialize_tpu"},
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "No effect here.")
  boolean profiler;

  @Option(
      names = "--thread_pool_factory_config_file",
      paramLabel = "FILE",
      defaultValue = "",
      description = "Not supported (empty only).")
  String threadPoolFactoryFile;

  @Option(
      names = "--enable_grpc_healthcheck_service",
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only).")
  boolean healthCheck;

  @Option(
      names = "--enable_serialization_as_tensor_content",
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Not supported (false only).")
  boolean tensorContent;

  @Option(
      names = "--enable_signature_method_name_check",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "false",
      converter = TfBoolean.class,
      description =
          "Check a signature's method_name against the API called (default:"
              + " ${DEFAULT-VALUE}, as TF Serving).")
  boolean methodNameCheck;

  /** One usage error for the first value that cannot work here. */
  void check(CommandSpec spec) {
    refuse(spec, cors, "--rest_api_enable_cors_support=true", "CORS headers are not sent");
    refuse(
        spec,
        perModelBatching,
        "--enable_per_model_batching_parameters=true",
        "one batching configuration serves every model (--batching_parameters_file)");
    refuse(
        spec,
        !sessionConfigFile.isEmpty(),
        "--tensorflow_session_config_file",
        "use --tensorflow_intra_op_parallelism, --tensorflow_inter_op_parallelism, --precision");
    refuse(spec, alts, "--use_alts_credentials=true", "use --ssl_config_file for TLS");
    refuse(
        spec,
        !platformConfigFile.isEmpty(),
        "--platform_config_file",
        "use --tensorflow_*_parallelism, --precision and --batching_parameters_file");
    refuse(
        spec,
        gpuFraction != 0,
        "--per_process_gpu_memory_fraction=" + gpuFraction,
        "this server runs on the CPU (no GPU)");
    refuse(
        spec,
        warmupIterations > 1,
        "--num_request_iterations_for_warmup=" + warmupIterations,
        "each warm-up request runs once");
    refuse(
        spec,
        tflite,
        "--prefer_tflite_model=true",
        "TFLite models are not served, only" + " SavedModels");
    refuse(spec, xla, "--xla_*_compilation_enabled=true", "XLA JIT is not available");
    refuse(
        spec,
        !threadPoolFactoryFile.isEmpty(),
        "--thread_pool_factory_config_file",
        "session thread pools come from --tensorflow_*_parallelism");
    refuse(
        spec,
        healthCheck,
        "--enable_grpc_healthcheck_service=true",
        "probe GET /v1/models/NAME or gRPC GetModelStatus");
    refuse(
        spec,
        tensorContent,
        "--enable_serialization_as_tensor_content=true",
        "answers use the typed value fields");
  }

  private static void refuse(CommandSpec spec, boolean refused, String flag, String why) {
    if (refused) {
      throw new ParameterException(spec.commandLine(), flag + ": not supported here; " + why);
    }
  }
}
