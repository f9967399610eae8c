// jobgen groovy_lib (prod mode): placed before every orchestration's own Groovy.
