package io.spikestream.job.run;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded Flink cluster of a {@code java -jar} run: an environment that runs the job on a
 * MiniCluster with its Web UI, as Flink's local environment does, but keeps hold of the cluster so
 * the run can tell its user the Web UI's real port (the configured range's first free one).
 */
final class EmbeddedCluster {

  private final AtomicReference<MiniCluster> cluster = new AtomicReference<>();

  /**
   * An environment that runs on a new MiniCluster per job, shut down when the job ends.
   *
   * @param config the cluster's and the job's configuration
   * @return the environment
   */
  StreamExecutionEnvironment environment(Configuration config) {
    Configuration effective = new Configuration(config);
    effective.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
    effective.set(DeploymentOptions.ATTACHED, true);
    if (!effective.contains(CoreOptions.DEFAULT_PARALLELISM)) {
      effective.set(CoreOptions.DEFAULT_PARALLELISM, Runtime.getRuntime().availableProcessors());
    }
    if (!effective.contains(RestOptions.PORT)) {
      // as Flink's local environment with a Web UI: else the cluster takes a random port
      effective.set(RestOptions.PORT, RestOptions.PORT.defaultValue());
    }
    PipelineExecutorFactory factory =
        new PipelineExecutorFactory() {
          @Override
          public String getName() {
            return LocalExecutor.NAME;
          }

          @Override
          public boolean isCompatibleWith(Configuration configuration) {
            return true;
          }

          @Override
          public PipelineExecutor getExecutor(Configuration configuration) {
            return LocalExecutor.createWithFactory(
                configuration,
                miniClusterConfig -> {
                  MiniCluster miniCluster = new MiniCluster(miniClusterConfig);
                  cluster.set(miniCluster);
                  return miniCluster;
                });
          }
        };
    PipelineExecutorServiceLoader executors =
        new PipelineExecutorServiceLoader() {
          @Override
          public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return factory;
          }

          @Override
          public Stream<String> getExecutorNames() {
            return Stream.of(LocalExecutor.NAME);
          }
        };
    return new StreamExecutionEnvironment(
        executors, effective, Thread.currentThread().getContextClassLoader());
  }

  /**
   * The Web UI and REST address of the cluster the job runs on, once it was submitted.
   *
   * @return for example {@code http://127.0.0.1:8081}; null if no cluster started
   */
  URI webUi() {
    MiniCluster miniCluster = cluster.get();
    if (miniCluster == null) {
      return null;
    }
    try {
      return miniCluster.getRestAddress().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }
}
