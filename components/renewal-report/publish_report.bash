#!/usr/bin/env bash
# Upload the report the build step wrote (copied in) to the wiki page as an attachment;
# people watching the page hear of every new report.
set -euo pipefail
python -m renewals.publish out/renewal-report.html --page "${CONFLUENCE_PAGE}" \
  --user "${CONFLUENCE_USER}" --password-env CONFLUENCE_PASSWORD
