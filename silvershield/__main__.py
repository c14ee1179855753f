from silvershield.cli import main

main()
