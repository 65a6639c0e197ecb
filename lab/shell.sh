#!/usr/bin/env bash
# Builds the lab module and starts LabShell: a real-router lab to try things by hand.
# Run as root from anywhere; Enter or Ctrl-C tears the lab down.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl lab compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
exec java -cp "lab/target/classes:$(cat lab/target/classpath.txt)" dev.p2pchat.lab.LabShell
