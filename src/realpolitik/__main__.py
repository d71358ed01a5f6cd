from realpolitik.cli import main

main()
