# grandpa's container image: built from this checkout, run as an unprivileged user.
#   docker build -t grandpa:local .        (or: podman build, or `docker compose build`)
# Configuration: mount a directory with application.yml at /etc/grandpa; data (the embedded
# PostgreSQL, workspaces, the admin token) lives in /var/lib/grandpa, a volume.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q package -DskipTests

FROM eclipse-temurin:25-jre
# git and bubblewrap: tasks in repositories (checks run in the sandbox); curl: the health check
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends git bubblewrap curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/grandpa --create-home grandpa \
    && mkdir -p /etc/grandpa
COPY --from=build /src/orchestrator-core/target/grandpa.jar /opt/grandpa/grandpa.jar
# the command-line client, for `docker exec <container> java -jar /opt/grandpa/grandpa-cli.jar ls`
COPY --from=build /src/cli/target/grandpa-cli.jar /opt/grandpa/grandpa-cli.jar
# the context servers grandpa ships (grandpa.context.argus-lite.jar / voracle-lite.jar point here in the image)
COPY --from=build /src/argus-lite/target/argus-lite.jar /opt/grandpa/argus-lite.jar
COPY --from=build /src/voracle-lite/target/voracle-lite.jar /opt/grandpa/voracle-lite.jar
# the bake-off's starter suite (grandpa.evals.suites points here in the image; add folders of your own)
COPY --from=build /src/evals /opt/grandpa/evals
USER grandpa
WORKDIR /var/lib/grandpa
ENV SPRING_CONFIG_ADDITIONAL_LOCATION=optional:file:/etc/grandpa/ \
    GRANDPA_CONTEXT_ARGUSLITE_JAR=/opt/grandpa/argus-lite.jar \
    GRANDPA_CONTEXT_VORACLELITE_JAR=/opt/grandpa/voracle-lite.jar \
    GRANDPA_EVALS_SUITES=/opt/grandpa/evals
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/opt/grandpa/grandpa.jar"]
