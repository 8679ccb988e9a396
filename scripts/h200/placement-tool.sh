#!/usr/bin/env bash
# Packs `grandpa placement` for the device machine, where nothing can be installed: inference-runtime's jar and its
# runtime dependencies in target/placement-tool/lib, and a Java runtime of the modules they use (jlink) in
# target/placement-tool/java; carry target/placement-tool. There (run.sh's placement-verify step):
#   target/placement-tool/java/bin/java -cp 'target/placement-tool/lib/*' dev.familiar.grandpa.runtime.tool.PlacementCommand ...
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=target/placement-tool
rm -rf "$out" && mkdir -p "$out/lib"
./mvnw -B -ntp -q -o -pl inference-runtime package -DskipTests
./mvnw -B -ntp -q -o -pl inference-runtime dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$PWD/$out/lib"
cp inference-runtime/target/inference-runtime-*[0-9T].jar "$out/lib/"
# jdeps also names java.desktop (Jackson 2's optional java.beans, through langchain4j): the command needs none of it
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.net.http,java.sql --strip-debug --no-man-pages --no-header-files \
    --strip-native-debug-symbols objcopy=/usr/bin/objcopy --compress zip-6 --output "$out/java"
tar czf target/placement-tool.tar.gz -C target placement-tool # the carry limit is 64 MiB with both sources
du -sh "$out/lib" "$out/java" target/placement-tool.tar.gz
