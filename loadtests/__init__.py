"""Load and speed tests: a seeded scenario generator shared by the solver benchmark, the property tests and Locust."""
