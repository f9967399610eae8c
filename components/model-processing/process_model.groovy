// Orchestration of the model pipeline (the talk, slides 13-14): phases of
// concurrent workers; it does no work itself. The promise library registers
// the build with the caller and always posts the report, whatever the outcome.
def workerParams() {
    return [
        string(name: 'SOURCE_S3_FILE_PATH', value: params.SOURCE_S3_FILE_PATH),
        string(name: 'RESULT_S3_FILE_PATH', value: params.RESULT_S3_FILE_PATH),
        string(name: 'TOOLS_COMMIT', value: params.TOOLS_COMMIT),
    ]
}

withPromise('process_model') {
    def results = [:]
    stage('inspect') {
        parallel(
            manifold: { results['manifold'] = build(job: 'inspect_manifold', parameters: workerParams()).result },
            size: { results['size'] = build(job: 'measure_size', parameters: workerParams()).result },
        )
    }
    stage('price') {
        results['price'] = build(job: 'estimate_price', parameters: [
            string(name: 'RESULT_S3_FILE_PATH', value: params.RESULT_S3_FILE_PATH),
            string(name: 'TOOLS_COMMIT', value: params.TOOLS_COMMIT),
        ]).result
    }
    return results
}
