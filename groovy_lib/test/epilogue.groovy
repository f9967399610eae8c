// jobgen groovy_lib (test mode): placed after every orchestration's own Groovy.
