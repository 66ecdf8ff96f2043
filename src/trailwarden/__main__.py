from trailwarden.cli import main

main()
