"""The embedded simulated AWS behind `trailwarden demo`, the tests and the benchmark."""
