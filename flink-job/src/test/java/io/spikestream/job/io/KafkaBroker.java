package io.spikestream.job.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside the test JVM,
 * listening on 127.0.0.1 only, with test clients around it.
 *
 * <p>Formatted with {@code transaction.version=1}: with version 2, Flink's committer logs false
 * "producer is already fenced" data-loss warnings after recoveries (see the shared Kafka notes).
 */
public final class KafkaBroker implements AutoCloseable {

  private final KafkaRaftServer server;
  private final String bootstrap;

  private KafkaBroker(KafkaRaftServer server, String bootstrap) {
    this.server = server;
    this.bootstrap = bootstrap;
  }

  /**
   * Formats a log directory and starts a broker on free loopback ports.
   *
   * @param dir an empty directory for the broker's logs
   * @return the started broker, answering requests
   */
  public static KafkaBroker start(Path dir) throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    String logDir = Files.createDirectories(dir.resolve("kafka-logs")).toString();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("log.dirs", logDir);
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");

    new Formatter()
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(logDir))
        .setMetadataLogDirectory(logDir)
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setFeatureLevel("transaction.version", (short) 1)
        .setControllerListenerName("CONTROLLER")
        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
        .run();
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    KafkaBroker broker = new KafkaBroker(server, "127.0.0.1:" + port);
    try (Admin admin = broker.admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    }
    return broker;
  }

  /** The bootstrap address, {@code 127.0.0.1:PORT}. */
  public String bootstrap() {
    return bootstrap;
  }

  /**
   * Creates a topic and waits until its partitions answer offset requests, so the first records
   * produced to it are not lost to a leader not yet elected (KAFKA-15591).
   *
   * @param name the topic
   * @param partitions its number of partitions
   */
  public void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        specs.put(new TopicPartition(name, p), OffsetSpec.earliest());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          admin.listOffsets(specs).all().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
  }

  /**
   * Produces records and waits for each acknowledgement.
   *
   * @param records the records; a null value is sent as a record without a value
   */
  public void produce(List<ProducerRecord<String, String>> records) throws Exception {
    List<ProducerRecord<byte[], byte[]>> raw = new ArrayList<>();
    for (ProducerRecord<String, String> record : records) {
      raw.add(
          new ProducerRecord<>(
              record.topic(), record.partition(), bytes(record.key()), bytes(record.value())));
    }
    produceBytes(raw);
  }

  /**
   * Produces records of bytes and waits for each acknowledgement.
   *
   * @param records the records; a null value is sent as a record without a value
   */
  public void produceBytes(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      for (java.util.concurrent.Future<?> ack : sent) {
        ack.get(60, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Reads a topic from the start as {@code read_committed} until {@code expected} records came or
   * the time is up, then goes on reading for {@code settle} to see any record too many.
   *
   * @param topic the topic
   * @param expected how many records to wait for
   * @param timeout how long to wait for them
   * @param settle how long to keep reading after that
   * @return the records, keys and values as UTF-8 text
   */
  public List<ConsumerRecord<String, String>> readCommitted(
      String topic, int expected, Duration timeout, Duration settle) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long settled = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settled)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          records.add(
              new ConsumerRecord<>(
                  r.topic(), r.partition(), r.offset(), text(r.key()), text(r.value())));
        }
        if (records.size() >= expected && settled == Long.MAX_VALUE) {
          settled = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return records;
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
