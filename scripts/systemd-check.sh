#!/usr/bin/env bash
# Runs the sandbox's own tests (workspace's SandboxIT) as grandpa's systemd unit would run grandpa: its user,
# its hardening (every [Service] setting of deploy/systemd/grandpa.service but how it starts and restarts),
# under a real systemd. The machine needs no systemd of its own: one is booted as PID 1 of a PID and mount
# namespace of its own, with a unit directory holding only this check and its own /run, /tmp and /var/tmp,
# and killed after it. The check unit has no default dependencies: nothing else of the machine's units is
# started (a sysinit.target pulled in would run systemd-tmpfiles --remove on the machine's /tmp, udev...).
#   sudo scripts/systemd-check.sh [unit file]     (root; makes the system user grandpa if there is none;
#                                                  after `./mvnw install -DskipTests`, offline)
# Prints the tests' report and the unit's result; exits 0 when every test passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
unit=${1:-$root/deploy/systemd/grandpa.service}
((EUID == 0)) || { echo "run it as root: it boots a systemd and runs the check as the user grandpa" >&2; exit 2; }
id grandpa >/dev/null 2>&1 || useradd --system --home-dir /var/lib/grandpa --create-home --shell /usr/sbin/nologin grandpa
install -d -o grandpa -g grandpa -m 750 /var/lib/grandpa
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

# The tests and what they need, where the unit can read them (not under /tmp: the unit's /tmp is its own).
work=$(mktemp -d /var/lib/grandpa-check.XXXXXX)
# PID 1 of the namespace ignores SIGTERM: killed, every process of the namespace goes with it
trap 'if [ -n "$systemd_pid" ]; then kill -9 $(pgrep -P "$systemd_pid") "$systemd_pid" 2>/dev/null; fi; rm -rf "$work"' EXIT
systemd_pid=
(cd "$root" && ./mvnw -B -ntp -q -o dependency:build-classpath -pl workspace -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/classpath" >/dev/null)
mkdir -p "$work/lib"
tr ':' '\n' < "$work/classpath" | grep -v '/org/junit/' | xargs -I{} cp {} "$work/lib/"
(cd "$root" && ./mvnw -B -ntp -q -o dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:6.0.3 \
    -DoutputDirectory="$work/lib" >/dev/null)
cp -r "$root/workspace/target/classes" "$work/classes"
cp -r "$root/workspace/target/test-classes" "$work/test-classes"
chmod -R a+rX "$work"

# The check unit: the service's own settings, started once as the tests instead of the jar.
mkdir -p "$work/units"
# SELECT narrows the tests, e.g. SELECT=--select-method=dev.familiar.grandpa.workspace.sandbox.SandboxIT#aCommandWritesItsWorktreeAndNothingElse
select=${SELECT:---select-class=dev.familiar.grandpa.workspace.sandbox.SandboxIT}
awk -v java="$JAVA_HOME/bin/java" -v work="$work" -v select="$select" '
    /^\[Unit\]/ { print; print "Description=the sandbox tests under grandpa.service hardening";
                  print "DefaultDependencies=no"; in_unit = 1; next }
    in_unit && !/^\[/ { next }
    /^\[Service\]/ { in_unit = 0; print; print "Type=oneshot"; print "StandardOutput=append:" work "/report.txt";
                     print "StandardError=append:" work "/report.txt";
                     print "ExecStart=" java " -cp " work "/classes:" work "/test-classes:" work "/lib/* " \
                           "org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree " \
                           select; in_service = 1; next }
    /^\[/ { in_service = 0 }
    in_service && /^(Type|ExecStart|Restart|RestartSec|TimeoutStopSec|EnvironmentFile)=/ { next }
    /^\[Install\]/ { exit }
    { print }
' "$unit" > "$work/units/grandpa-check.service"
printf '[Unit]\nDescription=nothing but the check\nDefaultDependencies=no\n' > "$work/units/check.target"

cat > "$work/boot.sh" <<EOF
#!/bin/bash
# PID 2 taken first, as kthreadd takes it on a machine: bubblewrap under pasta (grandpa as an ordinary user)
# reads /proc/<its child's PID in pasta's PID namespace>/ns from the outer /proc, and fails where there is none
setsid sleep infinity < /dev/null > /dev/null 2>&1 &
mount -t proc proc /proc
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /var/tmp
mount --bind "$work/units" /etc/systemd/system
exec env container=other /lib/systemd/systemd --system --log-target=console --log-level=warning --unit=check.target
EOF
chmod +x "$work/boot.sh"
unshare --pid --fork --mount --propagation private "$work/boot.sh" > "$work/systemd.log" 2>&1 &
systemd_pid=$!
in_ns() { nsenter -t "$(pgrep -P "$systemd_pid" | head -1)" -m -p "$@"; }
for _ in $(seq 1 50); do in_ns systemctl is-system-running >/dev/null 2>&1 && break; sleep 0.2; done
in_ns systemctl start grandpa-check.service || true
result=$(in_ns systemctl show -p Result --value grandpa-check.service)
cat "$work/report.txt"
echo "grandpa-check.service under $(basename "$unit")'s hardening: $result"
[ "$result" = success ]
