// jobgen groovy_lib (prod mode): placed after every orchestration's own Groovy.
