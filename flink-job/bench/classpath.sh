#!/usr/bin/env bash
# Sourced by the benchmark scripts: builds neural-core and flink-job with mvn package (tests
# compiled, not run; nothing installed into ~/.m2) and sets $cp to flink-job's test classpath,
# the one the bench profile's exec runs JobBenchmark with.
root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
(cd "$root" && mvn -B -q -pl neural-core,flink-job -am package dependency:build-classpath \
  -DskipTests -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test)
cp=$root/flink-job/target/test-classes:$root/flink-job/target/classes:$(cat "$root/flink-job/target/bench.classpath")
