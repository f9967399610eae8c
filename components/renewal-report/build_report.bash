#!/usr/bin/env bash
# The monthly renewal report (the scheduled-report story): download sales data,
# compute the renewal rate, publish the HTML report, alert when it drops.
set -euo pipefail
python -m renewals.download --user "${MARKETPLACE_USER}" --token-env MARKETPLACE_TOKEN --out data/
python -m renewals.analyse data/ --html out/renewal-report.html --json out/summary.json
python -m renewals.alert out/summary.json --threshold 0.6 --api-key-env OPSGENIE_API_KEY
python -m renewals.publish out/renewal-report.html --page "Renewal reports"
