#!/usr/bin/env bash
# The monthly renewal report (the scheduled-report story): download the sales data,
# compute the renewal rate, write the HTML report and the metrics the alert reads.
# Checks run in the test step, the upload in the release step: both copy these files in.
set -euo pipefail
python -m renewals.download --user "${MARKETPLACE_USER}" --token-env MARKETPLACE_TOKEN --out data/
python -m renewals.analyse data/ --months "${REPORT_MONTHS}" --html out/renewal-report.html --metrics out/metrics.json
