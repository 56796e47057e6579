from improve.cli import run

run()
