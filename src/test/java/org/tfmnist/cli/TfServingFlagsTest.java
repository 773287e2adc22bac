package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.MonitoringOptions;
import org.tfmnist.serving.http.ServerOptions;
import org.tfmnist.serving.server.ModelSource;
import org.tfmnist.serving.server.ServingOptions;
import picocli.CommandLine;

/**
 * {@code serve} takes TF Serving's command lines: every flag of {@code tensorflow_model_server
 * --help} (2.x, tensorflow_serving/model_servers/main.cc) with its spelling, the {@code
 * --flag=value}, {@code --flag value}, {@code --flag=true|false} and bare boolean forms, TF
 * Serving's defaults, and one clear line for a value that cannot work here. Only the options are
 * built: no server starts, no model loads.
 */
@Tag("unit")
class TfServingFlagsTest {
  /** Every flag of tensorflow_model_server 2.x's main.cc, and two of earlier 2.x releases. */
  static final List<String> TF_SERVING_FLAGS =
      List.of(
          "port",
          "grpc_socket_path",
          "rest_api_port",
          "rest_api_num_threads",
          "rest_api_timeout_in_ms",
          "rest_api_enable_cors_support",
          "enable_batching",
          "allow_version_labels_for_unavailable_models",
          "batching_parameters_file",
          "enable_per_model_batching_parameters",
          "model_config_file",
          "model_config_file_poll_wait_seconds",
          "model_name",
          "model_base_path",
          "num_load_threads",
          "num_unload_threads",
          "max_num_load_retries",
          "load_retry_interval_micros",
          "file_system_poll_wait_seconds",
          "flush_filesystem_caches",
          "tensorflow_session_parallelism",
          "tensorflow_session_config_file",
          "tensorflow_intra_op_parallelism",
          "tensorflow_inter_op_parallelism",
          "use_alts_credentials",
          "ssl_config_file",
          "platform_config_file",
          "per_process_gpu_memory_fraction",
          "saved_model_tags",
          "grpc_channel_arguments",
          "grpc_max_threads",
          "enable_model_warmup",
          "num_request_iterations_for_warmup",
          "version",
          "monitoring_config_file",
          "remove_unused_fields_from_bundle_metagraph",
          "prefer_tflite_model",
          "num_tflite_pools",
          "num_tflite_interpreters_per_pool",
          "enable_signature_method_name_check",
          "xla_cpu_compilation_enabled",
          "xla_gpu_compilation_enabled",
          "enable_profiler",
          "thread_pool_factory_config_file",
          "mixed_precision",
          "skip_initialize_tpu",
          "enable_grpc_healthcheck_service",
          "enable_serialization_as_tensor_content",
          "use_tflite_model",
          "num_tflite_interpreters");

  /** Each boolean flag with TF Serving's default. */
  static final Map<String, Boolean> BOOLEANS =
      Map.ofEntries(
          Map.entry("rest_api_enable_cors_support", false),
          Map.entry("enable_batching", false),
          Map.entry("allow_version_labels_for_unavailable_models", false),
          Map.entry("enable_per_model_batching_parameters", false),
          Map.entry("flush_filesystem_caches", true),
          Map.entry("use_alts_credentials", false),
          Map.entry("enable_model_warmup", true),
          Map.entry("remove_unused_fields_from_bundle_metagraph", true),
          Map.entry("prefer_tflite_model", false),
          Map.entry("enable_signature_method_name_check", false),
          Map.entry("xla_cpu_compilation_enabled", false),
          Map.entry("xla_gpu_compilation_enabled", false),
          Map.entry("enable_profiler", true),
          Map.entry("skip_initialize_tpu", false),
          Map.entry("enable_grpc_healthcheck_service", false),
          Map.entry("enable_serialization_as_tensor_content", false),
          Map.entry("use_tflite_model", false));

  /** The CLI's command tree, built once (building it is the costly part); picocli resets it. */
  private static final CommandLine CLI = Main.commandLine();

  @TempDir Path dir;

  @Test
  void everyTfServingFlagIsAnOptionOfServe() {
    var serve = CLI.getSubcommands().get("serve").getCommandSpec();
    List<String> missing = new ArrayList<>();
    for (String flag : TF_SERVING_FLAGS) {
      if (serve.findOption("--" + flag) == null) {
        missing.add(flag);
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everyBooleanTakesItsDefaultAndEveryForm() throws Exception {
    for (var flag : BOOLEANS.entrySet()) {
      String name = "--" + flag.getKey();
      for (String[] form :
          new String[][] {
            {name + "=" + flag.getValue()},
            {name, String.valueOf(flag.getValue())},
            {name + "=" + (flag.getValue() ? "1" : "0")}
          }) {
        Parsed p = parse(form);
        assertEquals(0, p.code, String.join(" ", form) + ": " + p.err);
      }
      if (flag.getValue()) {
        assertEquals(0, parse(name).code, name + " bare");
      }
    }
  }

  @Test
  void tfServingDefaultsWhereTheyHaveAMeaningHere() throws Exception {
    ServingOptions o = options("--model_base_path=" + dir);
    assertEquals(ModelSource.basePath("mnist", dir), o.source());
    assertEquals(8500, o.grpcPort());
    assertEquals(Duration.ofSeconds(1), o.fileSystemPollWait());
    assertEquals(Duration.ZERO, o.configPollWait());
    assertEquals(Duration.ofMillis(30_000), o.http().requestTimeout());
    assertEquals(ServerOptions.defaultHttpThreads(), o.http().httpThreads());
    assertEquals(ServerOptions.DEFAULT_QUEUE, o.http().queue());
    assertEquals(MonitoringOptions.OFF, o.http().monitoring());
    assertEquals(BatchingOptions.OFF, o.batching());
    assertEquals(Set.of("serve"), o.load().savedModelTags());
    assertTrue(o.load().warmup());
    assertEquals(5, o.load().maxLoadRetries());
    assertEquals(Duration.ofMinutes(1), o.load().loadRetryInterval());
    assertFalse(o.load().allowVersionLabelsForUnavailableModels());
    assertFalse(o.load().signatureMethodNameCheck());
    assertNull(o.grpc().tls());
    assertEquals(Map.of(), o.grpc().channelArguments());
  }

  @Test
  void valuesInBothFormsReachTheOptions() throws Exception {
    Path batching =
        write("batching.txt", "max_batch_size { value: 32 }\nmax_enqueued_batches { value: 4 }\n");
    Path monitoring =
        write("monitoring.txt", "prometheus_config { enable: true path: \"/metrics\" }\n");
    ServingOptions o =
        options(
            "--model_base_path",
            dir.toString(),
            "--model_name=digits",
            "--port=9000",
            "--rest_api_port",
            "9001",
            "--rest_api_num_threads=3",
            "--rest_api_timeout_in_ms=1500",
            "--enable_batching=true",
            "--batching_parameters_file=" + batching,
            "--monitoring_config_file",
            monitoring.toString(),
            "--saved_model_tags=serve,gpu",
            "--enable_model_warmup=false",
            "--max_num_load_retries=2",
            "--load_retry_interval_micros=250000",
            "--num_unload_threads=2",
            "--allow_version_labels_for_unavailable_models",
            "--enable_signature_method_name_check=true",
            "--file_system_poll_wait_seconds=7",
            "--tensorflow_session_parallelism=3",
            "--grpc_channel_arguments=grpc.max_receive_message_length=1048576,grpc.keepalive_time_ms=9000",
            "--per_process_gpu_memory_fraction=0",
            "--xla_cpu_compilation_enabled=false");
    assertEquals(ModelSource.basePath("digits", dir), o.source());
    assertEquals(9000, o.grpcPort());
    assertEquals(9001, o.restPort());
    assertEquals(3, o.http().httpThreads());
    assertEquals(Duration.ofMillis(1500), o.http().requestTimeout());
    assertEquals(new MonitoringOptions(true, "/metrics"), o.http().monitoring());
    assertEquals(32, o.batching().maxBatchSize());
    assertEquals(4, o.batching().maxEnqueuedBatches());
    assertEquals(4 * 32, o.http().queue(), "the queue is max_enqueued_batches x max_batch_size");
    assertEquals(Set.of("serve", "gpu"), o.load().savedModelTags());
    assertFalse(o.load().warmup());
    assertEquals(2, o.load().maxLoadRetries());
    assertEquals(Duration.ofMillis(250), o.load().loadRetryInterval());
    assertEquals(2, o.load().unloadThreads());
    assertTrue(o.load().allowVersionLabelsForUnavailableModels());
    assertTrue(o.load().signatureMethodNameCheck());
    assertEquals(Duration.ofSeconds(7), o.fileSystemPollWait());
    assertEquals(3, o.load().session().intraOpThreads());
    assertEquals(3, o.load().session().interOpThreads());
    assertEquals(
        Map.of("grpc.max_receive_message_length", "1048576", "grpc.keepalive_time_ms", "9000"),
        o.grpc().channelArguments());
    assertEquals(
        dir.resolve("tfs.sock"),
        options("--model_base_path=" + dir, "--grpc_socket_path=" + dir.resolve("tfs.sock"))
            .grpc()
            .socketPath());
  }

  @Test
  void batchingWithoutAFileTakesTfServingsDefaults() throws Exception {
    ServingOptions o = options("--model_base_path=" + dir, "--enable_batching");
    assertEquals(BatchingOptions.tfServingDefaults(), o.batching());
    assertEquals(1000, o.batching().maxBatchSize());
    assertEquals(0, o.batching().batchTimeoutMicros());
    assertEquals(10, o.batching().maxEnqueuedBatches());
    assertEquals(Runtime.getRuntime().availableProcessors(), o.batching().threads());
    assertEquals(10_000, o.http().queue());
    ServingOptions own =
        options("--model_base_path=" + dir, "--enable_batching", "--max_batch_size", "64");
    assertEquals(64, own.batching().maxBatchSize(), "tfmnist's own flag overrides");
  }

  @Test
  void theConfigFileWinsOverTheBasePathWithAWarning() throws Exception {
    Path config =
        write("models.config", "model_config_list { config { name: 'a' base_path: '/x' } }");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ServingOptions o =
        options(
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "--model_config_file=" + config,
            "--model_base_path=/models/ignored",
            "--model_name=ignored");
    assertEquals(ModelSource.configFile(config), o.source());
    String warnings = err.toString(StandardCharsets.UTF_8);
    assertTrue(warnings.contains(ServeSource.IGNORED_BASE_PATH), warnings);
    assertTrue(warnings.contains(ServeSource.IGNORED_NAME), warnings);
  }

  @Test
  void valuesThatCannotWorkHereFailWithOneLine() throws Exception {
    String[][] cases = {
      {
        "--per_process_gpu_memory_fraction=0.5",
        "--per_process_gpu_memory_fraction=0.5: not supported here; this server runs on the CPU"
      },
      {"--use_tflite_model=true", "--prefer_tflite_model=true: not supported here"},
      {"--xla_cpu_compilation_enabled", "--xla_*_compilation_enabled=true: not supported here"},
      {"--platform_config_file=/tmp/p.config", "--platform_config_file: not supported here"},
      {
        "--batching_parameters_file=/tmp/b.txt",
        "--batching_parameters_file is set without setting --enable_batching to true"
      },
      {"--enable_batching=maybe", "expected true or false, got 'maybe'"},
      {"--mixed_precision=fp16", "--mixed_precision: 'bfloat16' or empty, got 'fp16'"},
      {
        "--grpc_channel_arguments=grpc.keepalive_time_ms",
        "'grpc.keepalive_time_ms' is not KEY=VALUE"
      },
    };
    for (String[] c : cases) {
      Parsed p = run("serve", "--model_base_path=" + dir, "--port=0", "--rest_api_port=0", c[0]);
      assertTrue(p.code != 0, c[0] + " was accepted");
      assertTrue(p.err.contains(c[1]), c[0] + ": " + p.err);
      assertFalse(p.err.contains("\tat "), "no stack trace: " + p.err);
    }
  }

  @Test
  void versionPrintsAndExitsZero() {
    Parsed p = run("serve", "--version");
    assertEquals(0, p.code, p.err);
    assertTrue(p.out.startsWith("tfmnist "), p.out);
    assertTrue(p.out.contains("TensorFlow "), p.out);
  }

  private record Parsed(int code, String out, String err) {}

  /** Parses {@code serve --model_base_path DIR args} only (no server), as picocli would. */
  private Parsed parse(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("serve", "--model_base_path=" + dir));
    all.addAll(List.of(args));
    try {
      CommandLine.ParseResult r = CLI.parseArgs(all.toArray(String[]::new));
      assertNotNull(r.subcommand());
      ServeCommand serve = (ServeCommand) r.subcommand().commandSpec().userObject();
      serve.options(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      return new Parsed(0, "", "");
    } catch (CommandLine.ParameterException e) {
      return new Parsed(2, "", e.getMessage());
    }
  }

  private ServingOptions options(String... args) throws Exception {
    return options(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), args);
  }

  private static ServingOptions options(PrintStream err, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(List.of(args));
    CommandLine.ParseResult r = CLI.parseArgs(all.toArray(String[]::new));
    return ((ServeCommand) r.subcommand().commandSpec().userObject()).options(err);
  }

  private static Parsed run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CLI.setOut(new PrintWriter(out, true));
    CLI.setErr(new PrintWriter(err, true));
    int code = CLI.execute(args);
    return new Parsed(code, out.toString(), err.toString());
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
