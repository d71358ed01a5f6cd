from realpolitik.cli import run

run()
