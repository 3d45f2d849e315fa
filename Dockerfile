# syntax=docker/dockerfile:1
#
# isolation-operator container image (Quarkus fast-jar on a Java 17 JRE).
#
#   docker build -t ghcr.io/isolation-dev/isolation-operator:0.1.0 .
#
# Extra JVM flags at run time: set JAVA_TOOL_OPTIONS (read by the JVM itself).

############################
# Build stage
############################
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# Tests run in CI, not in the image build. The BuildKit cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests package

############################
# Runtime stage
############################
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="isolation-operator" \
      org.opencontainers.image.description="Kubernetes operator reconciling IsolationProfiles into NetworkPolicies" \
      org.opencontainers.image.source="https://github.com/isolation-dev/isolation-operator" \
      org.opencontainers.image.licenses="Apache-2.0"

WORKDIR /deployments

# Quarkus fast-jar layout, one layer per part, least to most frequently changing.
# Files stay root-owned and read-only for the runtime user.
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/*.jar /deployments/
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/

# Health (/q/health/*) and metrics (/q/metrics).
EXPOSE 8080

# Numeric, non-root (matches runAsUser 185 in kustomize/base/deployment.yaml and
# satisfies runAsNonRoot, which needs a numeric UID to verify).
USER 185

ENV LANG="C.UTF-8"
# glibc gives every thread that allocates its own malloc arena (up to 8 per CPU); the JVM's native
# allocations then spread over dozens of partly used arenas. Two keep the resident set down
# (measured: docs/benchmark.md, "Memory").
ENV MALLOC_ARENA_MAX=2

# JVM memory for the 512Mi limit of kustomize/base (docs/benchmark.md, "Memory"): Serial GC, the
# smallest footprint and the JVM's own choice at 1 CPU, fixed so that a larger CPU limit does not
# switch to G1 and its extra native memory. The heap may take half the limit, which leaves the other
# half for metaspace, JIT code and thread stacks. Committed heap follows the live set closely
# (at most 40% free after a collection) instead of growing to the ceiling.
# C1 only (TieredStopAtLevel=1): the operator idles, then a rollout bursts through code nothing has
# compiled yet. At one CPU, C2 spent ~40 s of a 10,000-namespace rollout's ~80 s of CPU compiling,
# and its arenas and code raised the peak resident set; with C1 alone the same rollout used less
# CPU in total, finished sooner and peaked ~55 MiB lower (docs/benchmark.md, "CPU, memory and
# the JIT").
ENTRYPOINT ["java", \
            "-XX:TieredStopAtLevel=1", \
            "-XX:+UseSerialGC", \
            "-XX:MaxRAMPercentage=50.0", \
            "-XX:MinHeapFreeRatio=20", \
            "-XX:MaxHeapFreeRatio=40", \
            "-XX:+ExitOnOutOfMemoryError", \
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", \
            "-Djava.io.tmpdir=/tmp", \
            "-jar", "/deployments/quarkus-run.jar"]
