from jobgen.main import command

command()
