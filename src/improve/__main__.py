from improve.cli import main

main()
