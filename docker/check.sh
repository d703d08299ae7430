#!/usr/bin/env bash
# Checks the docker/ files as far as that goes without a Docker engine or a Kubernetes cluster:
#
#   bash docker/check.sh
#
# 1. every YAML file parses;
# 2. the compose file validates with `docker compose config -q`, else `docker-compose config -q`
#    (Debian's docker-compose 1.29 works here), else this is skipped with a note; with
#    COMPOSE_SPEC_SCHEMA=compose-spec.json also against that JSON schema;
# 3. the Dockerfile lints with dockerfile-utils (npm), if it is on the PATH;
# 4. the FlinkDeployment has what the operator requires (and, with FLINK_OPERATOR_CRD=the
#    operator's flinkdeployments CRD yaml, validates against its openAPIV3Schema);
# 5. the files agree with each other (Flink settings, job arguments, paths, the volume) and with
#    docker/local-cluster/cluster.sh (ports, heartbeats, restarts, parent-first patterns);
# 6. the Prometheus reporter: the same reporter and port in the image's conf/, compose and k8s,
#    the port exposed (EXPOSE, published on 127.0.0.1 per container, the pod's "metrics" port
#    and annotations), the image's plugin jar of the image's Flink version (= the build's), and
#    the local cluster's reporter, port range and plugin folder;
# 7. every job option used is in the job's --help (if flink-job/target/spikestream-job.jar is
#    built).
#
# Needs python3 with PyYAML; jsonschema only for the two optional schema checks. Exits 1 if any
# check fails; a skipped check only prints why.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
COMPOSE=$HERE/docker-compose.yml
failed=0

ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; failed=1; }
skip() { echo "skip  $*"; }

# ---- compose, with a real compose implementation ----
# FROM_SAVEPOINT is left unset: the file must be valid without it
if docker compose version >/dev/null 2>&1; then
  docker compose -f "$COMPOSE" config -q && ok "docker compose config -q" ||
    bad "docker compose config -q"
elif command -v docker-compose >/dev/null; then
  docker-compose -f "$COMPOSE" config -q &&
    ok "docker-compose config -q ($(docker-compose version --short 2>/dev/null))" ||
    bad "docker-compose config -q"
else
  skip "compose validation: no 'docker compose' plugin nor docker-compose (apt-get install docker-compose)"
fi

# ---- Dockerfile ----
if command -v dockerfile-utils >/dev/null; then
  dockerfile-utils lint "$HERE/Dockerfile" && ok "dockerfile-utils lint Dockerfile" ||
    bad "dockerfile-utils lint Dockerfile"
else
  skip "Dockerfile lint: no dockerfile-utils (npm install -g dockerfile-utils)"
fi

# ---- job options, from the built jar ----
JOB_HELP=""
if [[ -f $ROOT/flink-job/target/spikestream-job.jar ]] && command -v java >/dev/null; then
  JOB_HELP=$(java -jar "$ROOT/flink-job/target/spikestream-job.jar" --help 2>/dev/null) || JOB_HELP=""
fi
[[ -n $JOB_HELP ]] || skip "job options: flink-job/target/spikestream-job.jar not built (mvn -B -q package -DskipTests)"

# ---- everything else: parsing, required fields, agreement ----
JOB_HELP=$JOB_HELP python3 - "$HERE" <<'PYTHON' || failed=1
import json, os, re, shlex, sys
import yaml

here = sys.argv[1]
failed = False

def ok(msg): print("ok    " + msg)
def skip(msg): print("skip  " + msg)
def bad(msg):
    global failed
    failed = True
    print("FAIL  " + msg)
def check(cond, msg, detail=""):
    ok(msg) if cond else bad(msg + (": " + detail if detail else ""))

# ---- 1. YAML ----
docs = {}
for d, _, files in os.walk(here):
    if "/local-cluster" in d + "/":
        continue
    for f in sorted(files):
        if f.endswith((".yml", ".yaml")):
            path = os.path.join(d, f)
            try:
                docs[os.path.relpath(path, here)] = list(yaml.safe_load_all(open(path)))
                ok("YAML parses: " + os.path.relpath(path, here))
            except yaml.YAMLError as e:
                bad("YAML parses: %s: %s" % (path, e))
compose = docs["docker-compose.yml"][0]
k8s = docs["k8s/flinkdeployment.yaml"]
deployment = next(d for d in k8s if d and d.get("kind") == "FlinkDeployment")
pvcs = {d["metadata"]["name"]: d for d in k8s if d and d.get("kind") == "PersistentVolumeClaim"}

# ---- values normalised for comparison: "1 s" == "1s", 10 == "10", lists parsed ----
def norm(value):
    text = re.sub(r"\s", "", str(value))
    if text.startswith("["):
        return sorted(yaml.safe_load(text))
    if ";" in text:  # Flink's legacy list syntax
        return sorted(text.split(";"))
    return text

def flink_properties(text):
    """FLINK_PROPERTIES as the image's entrypoint reads it: whitespace dropped, split at ':'."""
    props = {}
    for line in text.splitlines():
        line = re.sub(r"\s", "", line)
        if line:
            key, _, value = line.partition(":")
            props[key] = value
    return props

services = compose["services"]
flink_services = ["jobmanager", "taskmanager-1", "taskmanager-2"]
props = {s: flink_properties(services[s]["environment"]["FLINK_PROPERTIES"]) for s in flink_services}
check(all(props[s] == props["jobmanager"] for s in flink_services),
      "compose: JobManager and TaskManagers share one FLINK_PROPERTIES")
cp = props["jobmanager"]
fc = {k: v for k, v in deployment["spec"].get("flinkConfiguration", {}).items()}

# ---- 4. the FlinkDeployment ----
spec = deployment["spec"]
job = spec.get("job", {})
missing = [name for name, value in [
    ("apiVersion flink.apache.org/v1beta1", deployment.get("apiVersion") == "flink.apache.org/v1beta1"),
    ("metadata.name (lower case, <= 45 chars)",
     re.fullmatch(r"[a-z]([-a-z\d]{0,43}[a-z\d])?", deployment["metadata"].get("name", ""))),
    ("spec.image", spec.get("image")),
    ("spec.flinkVersion v2_2", spec.get("flinkVersion") == "v2_2"),
    ("spec.serviceAccount", spec.get("serviceAccount")),
    ("spec.jobManager.resource.memory", spec.get("jobManager", {}).get("resource", {}).get("memory")),
    ("spec.taskManager.resource.memory", spec.get("taskManager", {}).get("resource", {}).get("memory")),
    ("job.jarURI local://", str(job.get("jarURI", "")).startswith("local:///")),
    ("job.entryClass", job.get("entryClass")),
    ("job.parallelism >= 1", int(job.get("parallelism", 0)) >= 1),
    ("job.upgradeMode", job.get("upgradeMode") in ("savepoint", "last-state", "stateless")),
    ("job.state", job.get("state") in ("running", "suspended")),
    # the operator refuses savepoint/last-state upgrades without these two
    ("execution.checkpointing.dir", fc.get("execution.checkpointing.dir")),
    ("execution.checkpointing.savepoint-dir", fc.get("execution.checkpointing.savepoint-dir")),
] if not value]
check(not missing, "k8s: FlinkDeployment has the operator's required fields", ", ".join(missing))

crd_path = os.environ.get("FLINK_OPERATOR_CRD")
if crd_path:
    import jsonschema
    crd = yaml.safe_load(open(crd_path))
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta1")
    schema = version["schema"]["openAPIV3Schema"]
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(deployment))
    check(not errors, "k8s: FlinkDeployment validates against " + crd_path,
          "; ".join("%s: %s" % (list(e.path), e.message) for e in errors))
else:
    skip("k8s: CRD schema validation (set FLINK_OPERATOR_CRD to the operator's "
         "helm/flink-kubernetes-operator/crds/flinkdeployments.flink.apache.org-v1.yml)")

schema_path = os.environ.get("COMPOSE_SPEC_SCHEMA")
if schema_path:
    import jsonschema
    errors = list(jsonschema.Draft7Validator(json.load(open(schema_path))).iter_errors(compose))
    check(not errors, "compose: validates against " + schema_path,
          "; ".join("%s: %s" % (list(e.path), e.message) for e in errors))

# ---- 5. the files agree with each other ----
# the same Flink settings in compose and k8s, where both set them
shared = sorted(set(cp) & set(fc))
diff = [k for k in shared if norm(cp[k]) != norm(fc[k])]
check(not diff, "compose and k8s agree on %d Flink settings" % len(shared), ", ".join(diff))
for key in ["execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
            "classloader.parent-first-patterns.additional", "heartbeat.interval",
            "heartbeat.timeout", "restart-strategy.type", "state.backend.type",
            "pipeline.watermark-alignment.allow-unaligned-source-splits",
            "metrics.reporter.prom.factory.class", "metrics.reporter.prom.port"]:
    check(key in cp and key in fc, "compose and k8s both set " + key)

# the Dockerfile's own parent-first patterns (the image's conf/) are the same
dockerfile = open(os.path.join(here, "Dockerfile")).read()
m = re.search(r"-Dclassloader\.parent-first-patterns\.additional=(\[[^\]]*\])", dockerfile)
check(m and norm(m.group(1)) == norm(cp.get("classloader.parent-first-patterns.additional")),
      "Dockerfile, compose and k8s: parent-first patterns " + str(norm(cp.get(
          "classloader.parent-first-patterns.additional"))))
patterns = norm(cp.get("classloader.parent-first-patterns.additional", "[]"))
check({"org.nd4j.", "org.bytedeco."} <= set(patterns), "parent-first patterns cover org.nd4j and org.bytedeco")

# paths of the image
jar = re.search(r"(/opt/flink/usrlib/\S+\.jar)", dockerfile).group(1)
check(job.get("jarURI") == "local://" + jar, "k8s jarURI is the image's job jar " + jar)
examples = re.search(r"COPY .*examples/groups\.yaml.* (/\S+/)\s*$", dockerfile, re.M).group(1)

# job arguments: compose's command (after Flink's own options) equals k8s's args
command = shlex.split(services["jobmanager"]["command"].replace("${FROM_SAVEPOINT:-}", ""))
check(command[:3] == ["standalone-job", "--job-classname", job.get("entryClass")],
      "compose runs %s in application mode (standalone-job)" % job.get("entryClass"))
compose_args = command[3:]
check(compose_args == [str(a) for a in job.get("args", [])],
      "compose and k8s pass the same job arguments", "%s != %s" % (compose_args, job.get("args")))
args = dict(zip(compose_args[::2], compose_args[1::2]))
check(args.get("--groups", "").startswith(examples), "--groups is in the image's " + examples)
check(args.get("--checkpoint-dir") == cp.get("execution.checkpointing.dir") == fc.get(
      "execution.checkpointing.dir"), "--checkpoint-dir is the cluster's execution.checkpointing.dir")
check(args.get("--state-backend") == cp.get("state.backend.type"),
      "--state-backend is the cluster's state.backend.type")
check(args.get("--kafka-bootstrap") == "kafka:9092", "--kafka-bootstrap kafka:9092")
producer = services["producer"]["environment"]
check(args.get("--input-topic") == producer["INPUT_TOPIC"]
      and args.get("--output-topic") == producer["OUTPUT_TOPIC"],
      "the producer creates the job's input and output topics")
help_text = os.environ.get("JOB_HELP", "")
if help_text:
    unknown = [a for a in compose_args if a.startswith("--") and not re.search(
        r"^\s+" + re.escape(a) + r"\b", help_text, re.M)]
    check(not unknown, "every job option is in the job's --help", ", ".join(unknown))

# the checkpoint volume: on every Flink container at /checkpoints, holding both directories
for s in flink_services:
    check("checkpoints:/checkpoints" in services[s].get("volumes", []),
          "compose: %s mounts the checkpoints volume at /checkpoints" % s)
for key in ["execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"]:
    check(str(cp[key]).startswith("file:///checkpoints") and str(fc[key]).startswith("file:///checkpoints"),
          "%s is on the shared volume (/checkpoints)" % key)
template = spec.get("podTemplate", {}).get("spec", {})
mounts = [m for c in template.get("containers", []) if c.get("name") == "flink-main-container"
          for m in c.get("volumeMounts", []) if m.get("mountPath") == "/checkpoints"]
claims = [v["persistentVolumeClaim"]["claimName"] for v in template.get("volumes", [])
          if mounts and v.get("name") == mounts[0]["name"] and "persistentVolumeClaim" in v]
check(claims and claims[0] in pvcs, "k8s: /checkpoints is mounted from the PVC in the same file")
check(claims and "ReadWriteMany" in pvcs[claims[0]]["spec"].get("accessModes", []),
      "k8s: the checkpoint PVC is ReadWriteMany (JobManager and TaskManagers on any node)")
check("127.0.0.1:8081:8081" in services["jobmanager"].get("ports", []) and cp.get("rest.port") == "8081",
      "compose: REST/Web UI port 8081 published on 127.0.0.1")
published = [(s, str(p)) for s, svc in services.items() for p in svc.get("ports", [])]
check(all(p.startswith("127.0.0.1:") for _, p in published),
      "compose: every published port is on 127.0.0.1 only",
      ", ".join("%s %s" % sp for sp in published if not sp[1].startswith("127.0.0.1:")))

# ---- 6. the Prometheus reporter ----
PROM_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"
for name, conf in [("compose", cp), ("k8s", fc)]:
    check(conf.get("metrics.reporter.prom.factory.class") == PROM_FACTORY,
          "%s: metrics.reporter.prom.factory.class is Flink's PrometheusReporterFactory" % name)
prom_port = str(cp.get("metrics.reporter.prom.port", ""))
check(re.fullmatch(r"\d+", prom_port) and prom_port == str(fc.get("metrics.reporter.prom.port")),
      "compose and k8s: the reporter on one port, %s (one Flink process per container or pod)"
      % prom_port, "compose %s, k8s %s" % (prom_port, fc.get("metrics.reporter.prom.port")))
# the image's own conf/, written by config-parser-utils.sh
image_conf = dict(re.findall(r'"-D(metrics\.reporter\.prom\.[\w.]+)=([^"]*)"', dockerfile))
check(image_conf.get("metrics.reporter.prom.factory.class") == PROM_FACTORY
      and image_conf.get("metrics.reporter.prom.port") == prom_port,
      "Dockerfile: the image's conf/ has the same reporter and port", str(image_conf))
exposed = re.findall(r"^EXPOSE\s+(.*)$", dockerfile, re.M)
check(prom_port in " ".join(exposed).split(), "Dockerfile: EXPOSE %s" % prom_port)
# the plugin jar the Dockerfile checks for: the image's Flink version, which the job is built for
image_version = re.search(r"^FROM flink:(\d+\.\d+\.\d+)-", dockerfile, re.M)
plugin_jar = re.search(r'test -f "\$FLINK_HOME/plugins/metrics-prometheus/flink-metrics-prometheus-'
                       r'([\d.]+)\.jar"', dockerfile)
root_pom = open(os.path.join(os.path.dirname(here), "pom.xml")).read()
build_version = re.search(r"<flink\.version>([^<]+)</flink\.version>", root_pom)
check(image_version and plugin_jar and build_version
      and image_version.group(1) == plugin_jar.group(1) == build_version.group(1),
      "Dockerfile: the plugin jar it checks for, the image's Flink and the build's flink.version "
      "are one version", "image %s, plugin jar %s, pom %s" % tuple(
          m.group(1) if m else None for m in (image_version, plugin_jar, build_version)))
# compose: every Flink container's reporter published on its own loopback port of the host
host_ports = {}
for s in flink_services:
    ports = [str(p).split(":") for p in services[s].get("ports", [])]
    host_ports[s] = [p[1] for p in ports if len(p) == 3 and p[2] == prom_port]
check(all(len(host_ports[s]) == 1 for s in flink_services)
      and len({host_ports[s][0] for s in flink_services}) == len(flink_services),
      "compose: each Flink container's port %s published on its own host port (%s)" % (
          prom_port, ", ".join("%s %s" % (s, "/".join(host_ports[s])) for s in flink_services)))
# k8s: the port declared on the Flink container, named for a PodMonitor, and in the annotations
main = [c for c in template.get("containers", []) if c.get("name") == "flink-main-container"]
metrics_ports = [p for c in main for p in c.get("ports", []) if p.get("name") == "metrics"]
check(len(metrics_ports) == 1 and str(metrics_ports[0].get("containerPort")) == prom_port,
      "k8s: flink-main-container declares containerPort %s named metrics" % prom_port)
annotations = spec.get("podTemplate", {}).get("metadata", {}).get("annotations", {})
check(annotations.get("prometheus.io/scrape") == "true"
      and annotations.get("prometheus.io/port") == prom_port,
      "k8s: pod annotations prometheus.io/scrape and prometheus.io/port %s" % prom_port)

# ---- ... and with docker/local-cluster/cluster.sh ----
# Assumed when that script is missing; checked against it when it is there.
assumed = {"rest.port": "8081", "jobmanager.rpc.port": "6123", "blob.server.port": "6124",
           "heartbeat.interval": "1s", "heartbeat.timeout": "5s",
           "restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "10",
           "restart-strategy.fixed-delay.delay": "1s", "taskmanager.numberOfTaskSlots": "1",
           "jobmanager.memory.process.size": "1024m", "taskmanager.memory.process.size": "1536m",
           "classloader.parent-first-patterns.additional": "[org.nd4j.,org.bytedeco.]",
           "metrics.reporter.prom.factory.class": PROM_FACTORY}
cluster_sh = os.path.join(here, "local-cluster", "cluster.sh")
if os.path.exists(cluster_sh):
    script = open(cluster_sh).read()
    defaults = dict(re.findall(r"(\w+)=\$\{\w+:-([^}]*)\}", script))
    body = re.search(r'config\.yaml" <<EOF\n(.*?)\nEOF', script, re.S).group(1)
    local = {}
    for line in body.splitlines():
        m = re.match(r"([\w.-]+):\s*(.*)$", line)
        if m:
            value = re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", m.group(2))
            local[m.group(1)] = re.sub(r"\$(\w+)", lambda v: defaults.get(v.group(1), v.group(0)), value)
    source = "docker/local-cluster/cluster.sh"
else:
    local, source = assumed, "assumed values (docker/local-cluster/cluster.sh not found)"
    print("note  " + ", ".join("%s=%s" % kv for kv in assumed.items()))
# the image's entrypoint sets blob.server.port 6124 itself; the operator picks its own ports
image_values = dict(cp, **{"blob.server.port": "6124"})
diff = [k for k in assumed if k in local and norm(local[k]) != norm(image_values.get(k))]
check(not diff, "compose matches %s on %s" % (source, ", ".join(k for k in assumed if k in local)),
      ", ".join("%s: %s vs %s" % (k, local[k], image_values.get(k)) for k in diff))
if os.path.exists(cluster_sh):
    # all processes share 127.0.0.1: a range with a port for each default process, apart from
    # the cluster's other ports
    m = re.fullmatch(r"(\d+)-(\d+)", local.get("metrics.reporter.prom.port", ""))
    taskmanagers = int(re.search(r"\$\{TASKMANAGERS:-(\d+)\}", script).group(1))
    others = {int(local.get(k, 0)) for k in ("rest.port", "jobmanager.rpc.port", "blob.server.port")}
    check(m and int(m.group(2)) - int(m.group(1)) + 1 >= 1 + taskmanagers
          and not others & set(range(int(m.group(1)), int(m.group(2)) + 1)),
          "local cluster: reporter port range %s holds the JobManager and %d TaskManagers, apart "
          "from its REST, RPC and blob ports" % (local.get("metrics.reporter.prom.port"), taskmanagers))
    # the plugin: copied by pom.xml into target/plugins/metrics-prometheus, where cluster.sh
    # points FLINK_PLUGINS_DIR, in the build's Flink version
    pom = open(os.path.join(here, "local-cluster", "pom.xml")).read()
    item = re.search(r"<artifactItem>\s*<groupId>org\.apache\.flink</groupId>\s*"
                     r"<artifactId>flink-metrics-prometheus</artifactId>\s*"
                     r"<version>\$\{flink\.version\}</version>\s*"
                     r"<outputDirectory>\$\{project\.build\.directory\}/plugins/metrics-prometheus"
                     r"</outputDirectory>", pom)
    check(item, "local-cluster/pom.xml copies flink-metrics-prometheus ${flink.version} to "
          "target/plugins/metrics-prometheus")
    check(re.search(r"^PLUGINS=\$HERE/target/plugins$", script, re.M)
          and re.search(r"^export FLINK_PLUGINS_DIR=\$PLUGINS$", script, re.M),
          "cluster.sh: FLINK_PLUGINS_DIR is local-cluster/target/plugins")
if "execution.checkpointing.dir" in local:
    print("note  checkpoint layout: local %s + %s; docker /checkpoints + /checkpoints/savepoints "
          "(one volume holds both)" % (local["execution.checkpointing.dir"],
                                      local.get("execution.checkpointing.savepoint-dir")))

sys.exit(1 if failed else 0)
PYTHON

if [[ $failed -eq 0 ]]; then echo "check.sh: all checks passed"; else echo "check.sh: FAILED"; fi
exit $failed
