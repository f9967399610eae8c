// jobgen groovy_lib (test mode): placed after every orchestration's own Groovy.
// The report of the run. Under `jobgen test` the driver asks __jobgen.finish()
// itself (also when the body threw or returned early); run by hand with
// `groovy`, the compiled script prints the recorded calls and the result.
if (!binding.variables.containsKey('jobgenScenario')) {
    println groovy.json.JsonOutput.prettyPrint(groovy.json.JsonOutput.toJson(__jobgen.finish(null)))
}
