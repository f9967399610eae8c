// jobgen groovy_lib (test mode): placed before every orchestration's own Groovy.
