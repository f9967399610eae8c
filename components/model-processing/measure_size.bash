#!/usr/bin/env bash
# Worker: bounding box and volume of the uploaded mesh.
set -euo pipefail
# The workspace is model-tools at TOOLS_COMMIT: `checkout:` in model-processing.yaml.
aws s3 cp "${SOURCE_S3_FILE_PATH}" model.stl
python tools/measure_size.py model.stl > size.json
aws s3 cp size.json "${RESULT_S3_FILE_PATH}/size.json"
