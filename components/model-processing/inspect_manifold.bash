#!/usr/bin/env bash
# Worker: is the uploaded mesh watertight? Writes its findings next to the result path.
set -euo pipefail
# The workspace is model-tools at TOOLS_COMMIT: `checkout:` in model-processing.yaml.
aws s3 cp "${SOURCE_S3_FILE_PATH}" model.stl
python tools/inspect_manifold.py model.stl > manifold.json
aws s3 cp manifold.json "${RESULT_S3_FILE_PATH}/manifold.json"
