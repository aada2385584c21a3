package org.cameleliza.examples.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the tests and the demo: they write questions and read what the bridge wrote. */
final class KafkaTopics {

    private final String bootstrapServers;

    KafkaTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** A record to write: a null key makes a record without key. */
    record KeyValue(String key, String value) {
    }

    /** Writes the records in order and waits for the acks. */
    List<RecordMetadata> send(String topic, List<KeyValue> records)
            throws InterruptedException, ExecutionException {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (KeyValue record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())).get());
            }
        }
        return sent;
    }

    /** Every record of the topic, from the beginning up to its end as it is now. */
    List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** Waits (up to the timeout) until the topic holds at least that many records, and returns them all. */
    List<ConsumerRecord<String, String>> awaitRecords(String topic, int count, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<ConsumerRecord<String, String>> records = readAll(topic);
            if (records.size() >= count) {
                return records;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Expected " + count + " records on " + topic + " within " + timeout
                        + ", found " + records.size() + ": " + describe(records));
            }
            Thread.sleep(500);
        }
    }

    /** The group's committed offset of each partition of the topic (0 where it committed nothing yet). */
    Map<Integer, Long> committedOffsets(String groupId, String topic)
            throws InterruptedException, ExecutionException {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config); KafkaConsumer<String, String> consumer = newConsumer()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(Map.of(groupId, new ListConsumerGroupOffsetsSpec()))
                    .partitionsToOffsetAndMetadata(groupId).get();
            Map<Integer, Long> offsets = new HashMap<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> {
                OffsetAndMetadata offset = committed.get(new TopicPartition(topic, p.partition()));
                offsets.put(p.partition(), offset == null ? 0L : offset.offset());
            });
            return offsets;
        }
    }

    /** The end offset of each partition of the topic: the offsets a group has committed once it processed all. */
    Map<Integer, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
        }
    }

    /** Waits (up to the timeout) until the group has committed every record of the topic. */
    void awaitAllCommitted(String groupId, String topic, Duration timeout)
            throws InterruptedException, ExecutionException {
        Map<Integer, Long> end = endOffsets(topic);
        Instant deadline = Instant.now().plus(timeout);
        Map<Integer, Long> committed = committedOffsets(groupId, topic);
        while (!committed.equals(end)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Group " + groupId + " committed " + committed + " of " + topic
                        + " within " + timeout + ", expected " + end);
            }
            Thread.sleep(500);
            committed = committedOffsets(groupId, topic);
        }
    }

    /** A header's value as text, or null when the record has none. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** "partition/offset" of a question, as the bridge's outcome records name it in their headers. */
    static String questionOf(ConsumerRecord<?, ?> outcome) {
        return header(outcome, BridgeHeaders.QUESTION_PARTITION) + "/" + header(outcome, BridgeHeaders.QUESTION_OFFSET);
    }

    static String describe(List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .map(r -> r.key() + "=" + r.value() + " (question " + questionOf(r) + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config);
    }
}
