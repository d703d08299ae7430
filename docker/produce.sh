#!/usr/bin/env bash
# The compose file's one-shot producer, run in the apache/kafka image: creates the job's topics
# and writes the events file into the input topic, each line keyed by its group, so that a
# group's events stay in one partition, in file order. Writes nothing if the input topic already
# has records (a second `docker compose up` must not feed the events twice).
#
# Environment: BOOTSTRAP, INPUT_TOPIC, INPUT_PARTITIONS, OUTPUT_TOPIC (the late and dead-letter
# topics are OUTPUT_TOPIC-late and OUTPUT_TOPIC-dead-letter, the job's defaults), EVENTS.
set -euo pipefail

BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
INPUT_TOPIC=${INPUT_TOPIC:-spikestream-events}
INPUT_PARTITIONS=${INPUT_PARTITIONS:-2}
OUTPUT_TOPIC=${OUTPUT_TOPIC:-spikestream-spikes}
EVENTS=${EVENTS:-/opt/spikestream/examples/events.jsonl}
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}

say() { echo "produce.sh: $*"; }

# create TOPIC PARTITIONS [--config K=V ...]
create() {
  "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor 1 "${@:3}"
}

# "topic:partition:offset" per partition of the input topic, end offsets
end_offsets() {
  "$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BOOTSTRAP" --topic "$INPUT_TOPIC" \
    --time latest
}

records() { end_offsets | awk -F: '{ n += $NF } END { print n + 0 }'; }

create "$INPUT_TOPIC" "$INPUT_PARTITIONS"
# The job stamps its records with their event time, which for the example data is January
# 1970: with those timestamps the broker rolls a segment per write and its time retention
# deletes the records within minutes. LogAppendTime stamps them with the time of writing.
for topic in "$OUTPUT_TOPIC" "$OUTPUT_TOPIC-late" "$OUTPUT_TOPIC-dead-letter"; do
  create "$topic" 1 --config message.timestamp.type=LogAppendTime
done

# Produce only once every partition has a leader that answers: a batch sent to a partition
# whose leader is not yet known can be lost (KAFKA-15591)
for _ in $(seq 60); do
  [[ $(end_offsets 2>/dev/null | grep -c ":") -eq $INPUT_PARTITIONS ]] && break
  sleep 1
done
[[ $(end_offsets | grep -c ":") -eq $INPUT_PARTITIONS ]] ||
  { say "$INPUT_TOPIC has no leader for every partition after 60 s"; exit 1; }

already=$(records)
if [[ $already -gt 0 ]]; then
  say "$INPUT_TOPIC already has $already records; not writing $EVENTS again"
  exit 0
fi

# KEY<TAB>LINE, the key being the value of the line's "group" field; a line without one (a bad
# line, which the job sends to the dead letters) gets the empty key
awk '{ key = ""
       if (match($0, /"group" *: *"[^"]*"/)) { key = substr($0, RSTART, RLENGTH); sub(/^"group" *: *"/, "", key); sub(/"$/, "", key) }
       print key "\t" $0 }' "$EVENTS" |
  "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$INPUT_TOPIC" \
    --reader-property parse.key=true --reader-property key.separator=$'\t' \
    --command-property acks=all

lines=$(awk 'END { print NR }' "$EVENTS")
written=$(records)
[[ $written -eq $lines ]] || { say "wrote $written records for $lines lines"; exit 1; }
say "wrote $lines lines of $EVENTS to $INPUT_TOPIC"
