#!/usr/bin/env bash
# Worker: is the uploaded mesh watertight? Writes its findings next to the result path.
set -euo pipefail
git -C tools fetch --quiet origin && git -C tools checkout --quiet "${TOOLS_COMMIT}"
aws s3 cp "${SOURCE_S3_FILE_PATH}" model.stl
python tools/inspect_manifold.py model.stl > manifold.json
aws s3 cp manifold.json "${RESULT_S3_FILE_PATH}/manifold.json"
