#!/usr/bin/env bash
# Worker: price from the earlier phases' findings.
set -euo pipefail
# The workspace is model-tools at TOOLS_COMMIT: `checkout:` in model-processing.yaml.
aws s3 cp "${RESULT_S3_FILE_PATH}/manifold.json" manifold.json
aws s3 cp "${RESULT_S3_FILE_PATH}/size.json" size.json
python tools/estimate_price.py manifold.json size.json > price.json
aws s3 cp price.json "${RESULT_S3_FILE_PATH}/price.json"
