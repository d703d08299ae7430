package io.spikestream.job.config;

import java.io.Serializable;

/**
 * Where the job reads and writes Kafka, when it does.
 *
 * @param bootstrap the brokers, {@code HOST:PORT[,HOST:PORT...]}
 * @param inputTopic the topic of input-event lines; null when the input is files
 * @param outputTopic the topic of spike records; null when the output is files
 * @param lateTopic the topic of late events; {@code OUTPUT_TOPIC-late} by default
 * @param deadLetterTopic the topic of dead letters; {@code OUTPUT_TOPIC-dead-letter} by default
 * @param groupId the consumer group of the input (offsets live in Flink's checkpoints; the group
 *     only shows progress to Kafka tools)
 * @param transactionTimeoutMs the output transactions' timeout, in ms; must not exceed the brokers'
 *     {@code transaction.max.timeout.ms} and should exceed the longest outage to survive
 */
public record KafkaOptions(
    String bootstrap,
    String inputTopic,
    String outputTopic,
    String lateTopic,
    String deadLetterTopic,
    String groupId,
    long transactionTimeoutMs)
    implements Serializable {

  /** The late topic's name for an output topic when none is given. */
  public static String defaultLateTopic(String outputTopic) {
    return outputTopic + "-late";
  }

  /** The dead-letter topic's name for an output topic when none is given. */
  public static String defaultDeadLetterTopic(String outputTopic) {
    return outputTopic + "-dead-letter";
  }
}
