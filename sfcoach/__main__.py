from sfcoach.cli import main

main()
