#!/usr/bin/env bash
# Checks of the report's numbers (totals add up, rates within 0..1, no month missing).
# pytest exits 1 when checks fail: the JUnit report then makes the build UNSTABLE, and
# the chain stops before the upload. Any other exit code is an error of the checks.
set -uo pipefail
python -m pytest renewals/checks --report out/renewal-report.html --junitxml=reports/checks.xml
status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
